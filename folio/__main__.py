from folio.cli import app

app(prog_name="folio")
