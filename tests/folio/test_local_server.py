"""The embedded llama-server's command line: slots with continuous batching, the context per slot."""

from folio.llm.local_server import LocalLLMServer


def _flag(command: list[str], name: str) -> str:
    return command[command.index(name) + 1]


def test_each_slot_gets_the_configured_context_and_slots_batch_continuously(tmp_path):
    command = LocalLLMServer(tmp_path / "model.gguf", threads=2, context=4096, parallel=3,
                             slot_dir=tmp_path / "slots").command()
    assert _flag(command, "-np") == "3"
    assert _flag(command, "-c") == str(3 * 4096)  # llama-server splits -c between its slots
    assert "--cont-batching" in command
    assert _flag(command, "--slot-save-path") == str(tmp_path / "slots")


def test_one_slot_without_a_slot_folder_shares_nothing(tmp_path):
    server = LocalLLMServer(tmp_path / "model.gguf", context=8192)
    command = server.command()
    assert _flag(command, "-np") == "1" and _flag(command, "-c") == "8192"
    assert "--slot-save-path" not in command
    assert server.share_prefix() == 0
