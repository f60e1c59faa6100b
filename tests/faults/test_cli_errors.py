"""Command lines fail with one readable line and exit code 2, never a traceback."""

from __future__ import annotations

import pytest

from core.cli import EXIT_BAD_INPUT, one_line, run_cli
from core.config import Settings, get_settings
from core.eval import answers, retrieval
from core.synth import __main__ as synth_cli


def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert "Traceback" not in err[0]
    return err[0]


def test_run_cli_turns_user_errors_into_one_line(capsys):
    def fails() -> int:
        raise ValueError("the weekly table has no rows\n(details a user does not need)")

    assert run_cli(fails) == EXIT_BAD_INPUT
    assert _one_error_line(capsys) == "error: the weekly table has no rows"
    assert one_line(RuntimeError()) == "RuntimeError"


def test_run_cli_lets_programming_errors_through():
    def bug() -> int:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):  # a bug must stay visible in tests, not look like bad input
        run_cli(bug)


def test_eval_clis_with_a_missing_questions_file(tmp_path, capsys):
    missing = str(tmp_path / "nope.yml")
    assert retrieval.main(["--questions", missing, "--data", str(tmp_path)]) == EXIT_BAD_INPUT
    assert "nope.yml" in _one_error_line(capsys)
    assert answers.main(["--questions", missing]) == EXIT_BAD_INPUT
    assert "nope.yml" in _one_error_line(capsys)


def test_retrieval_eval_while_another_process_holds_the_index(tmp_path, capsys):
    from core.rag import HybridIndex

    holder = HybridIndex.open(Settings(data_dir=tmp_path))  # embedded Qdrant: one client per folder
    try:
        assert retrieval.main(["--data", str(tmp_path)]) == EXIT_BAD_INPUT
        assert "error: " in _one_error_line(capsys)
    finally:
        holder.close()


def test_generating_into_a_file_instead_of_a_folder(tmp_path, capsys, monkeypatch):
    target = tmp_path / "a_file"
    target.write_text("not a folder")
    monkeypatch.setenv("MIP_DATA_DIR", str(tmp_path))
    get_settings.cache_clear()
    assert synth_cli.main(["--out", str(target)]) == EXIT_BAD_INPUT
    _one_error_line(capsys)
    assert target.read_text() == "not a folder"  # nothing lost
