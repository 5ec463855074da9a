"""The portable llama-server build's CPU check and the words used when the server dies."""

import signal

from folio.llm.local_server import cpu_problem, describe_exit


def test_an_avx2_build_on_a_cpu_without_avx2_is_refused_with_the_fix():
    problem = cpu_problem("avx2", {"sse4_2", "avx"})
    assert problem is not None and "avx2" in problem and "make llama-rebuild LLAMA_CPU=generic" in problem


def test_a_cpu_with_what_the_build_needs_passes():
    assert cpu_problem("avx2", {"avx", "avx2", "fma", "f16c", "avx512f"}) is None
    assert cpu_problem("generic", {"sse2"}) is None
    assert cpu_problem("", {"sse2"}) is None  # built outside the Makefile: nothing recorded, nothing assumed


def test_this_machine_can_run_the_installed_build():
    assert cpu_problem() is None


def test_crashes_name_the_signal_and_the_fix():
    assert "SIGILL" in describe_exit(-signal.SIGILL) and "make llama-rebuild" in describe_exit(-signal.SIGILL)
    assert "SIGSEGV" in describe_exit(-signal.SIGSEGV)
    assert "hung" in describe_exit(None)
    assert "status 1" in describe_exit(1)
