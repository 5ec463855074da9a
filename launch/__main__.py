from launch.cli import app

app(prog_name="folio")
