"""`make run`'s supervisor (shared/supervisor.py): honcho's output, a crashed process said in one
line and started again within a limit, everything stopped on Ctrl+C. Real processes, tiny ones."""

import os
import re
import signal
import subprocess
import sys

import pytest

from shared import supervisor
from shared.supervisor import RestartBudget, why
from tests.support import REPO, wait_for

PY = sys.executable
SLEEPER = f"{PY} -c \"import time; print('up', flush=True); time.sleep(120)\""


def procfile(tmp_path, **commands):
    path = tmp_path / "Procfile"
    path.write_text("".join(f"{name}: {command}\n" for name, command in commands.items()))
    return path


def supervise(path, *options):
    return subprocess.Popen(
        [PY, "-m", "shared.dev", "run", "-f", str(path), "--restart-delay", "0", *options],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def system_lines(output):
    return [line.split("| ", 1)[1] for line in output.splitlines() if re.match(r"^\d\d:\d\d:\d\d system\s+\| ", line)]


def test_a_crashing_process_is_restarted_with_one_line_saying_why_until_the_limit_then_everything_stops(tmp_path):
    crash = f"{PY} -c \"import sys; print('starting'); sys.exit('ValueError: invalid setting X=0')\""
    run = supervise(procfile(tmp_path, crash=crash, steady=SLEEPER), "--restarts", "2", "--window-minutes", "5")
    output, _ = run.communicate(timeout=60)
    said = system_lines(output)
    crashed = "crash.1 exited with code 1 (last line: ValueError: invalid setting X=0)"
    assert [line for line in said if line.startswith("crash.1 exited")] == [
        f"{crashed}: restarting it (1 of 2 restarts within 5 min)",
        f"{crashed}: restarting it (2 of 2 restarts within 5 min)",
        f"{crashed}, and was restarted 2 times within 5 min: stopping every process",
    ], output
    assert len([line for line in said if line.startswith("crash.1 started")]) == 3
    assert "steady.1 stopped" in said
    assert run.returncode == 1
    assert re.search(r"^\d\d:\d\d:\d\d crash\.1\s+\| starting$", output, re.MULTILINE), "honcho's line prefix"


def test_a_process_killed_by_a_signal_is_said_so(tmp_path):
    killed = f'{PY} -c "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"'
    run = supervise(procfile(tmp_path, killed=killed), "--restarts", "1")
    output, _ = run.communicate(timeout=60)
    assert (
        "killed.1 was killed by SIGKILL (printed nothing): restarting it (1 of 1 restarts within 5 min)"
        in system_lines(output)
    ), output
    assert run.returncode == 1


def test_a_process_that_ends_normally_stops_the_venue_as_honcho_does(tmp_path):
    run = supervise(procfile(tmp_path, once=f"{PY} -c \"print('done')\"", steady=SLEEPER))
    output, _ = run.communicate(timeout=60)
    assert "once.1 exited with code 0 (last line: done): stopping every process" in system_lines(output), output
    assert "steady.1 stopped" in system_lines(output)
    assert run.returncode == 0


def test_ctrl_c_stops_every_process_and_exits_130(tmp_path):
    log = tmp_path / "out.txt"
    with open(log, "w") as out:
        run = subprocess.Popen(
            [PY, "-m", "shared.dev", "run", "-f", str(procfile(tmp_path, a=SLEEPER, b=SLEEPER))],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            pids = wait_for(
                lambda: (
                    [int(p) for p in re.findall(r"started \(pid=(\d+)\)", log.read_text())]
                    if log.read_text().count("| up") == 2
                    else None
                ),
                timeout=30,
                message="both processes up",
            )
            run.send_signal(signal.SIGINT)
            assert run.wait(timeout=30) == 130
        finally:
            if run.poll() is None:
                run.kill()
    said = system_lines(log.read_text())
    assert "SIGINT received" in said
    assert {"a.1 stopped", "b.1 stopped"} <= set(said)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_restarts_older_than_the_window_no_longer_count():
    now = [0.0]
    budget = RestartBudget(limit=2, window_seconds=300, clock=lambda: now[0])
    assert budget.take()
    now[0] = 100.0
    assert budget.take()
    now[0] = 200.0
    assert not budget.take()  # a third crash within 5 min: the loop ends
    now[0] = 299.0
    assert not budget.take()
    now[0] = 300.0  # the first restart left the window
    assert budget.take()
    assert len(budget) == 2


def test_why_a_process_ended_fits_one_line():
    assert why(1, "x" * 500).endswith("...)") and len(why(1, "x" * 500)) < 250
    assert why(-signal.SIGTERM, "") == "was killed by SIGTERM (printed nothing)"
    assert why(2, "Traceback ...\n") == "exited with code 2 (last line: Traceback ...)"


def test_an_unknown_process_name_is_refused(tmp_path):
    run = subprocess.run(
        [PY, "-m", "shared.dev", "run", "-f", str(procfile(tmp_path, a=SLEEPER)), "nope"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1 and "not in" in run.stderr and "nope" in run.stderr


def test_the_venue_started_by_make_run_is_the_procfile_under_this_supervisor():
    recipe = (REPO / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert "-m shared.dev run -e var/dev.env" in recipe  # the Procfile of COCOON_PROCESSES
    assert "honcho" not in recipe


@pytest.mark.parametrize(
    ("setting", "procfile"),
    [(None, "Procfile"), ("split", "Procfile"), ("one", "Procfile.one"), (" One ", "Procfile.one")],
)
def test_cocoon_processes_chooses_the_packaging_split_by_default(setting, procfile):
    environ = {} if setting is None else {"COCOON_PROCESSES": setting}
    assert supervisor.packaging_procfile(environ) == procfile
    assert (REPO / procfile).is_file()


def test_an_unknown_packaging_is_refused_naming_the_known_ones():
    with pytest.raises(SystemExit, match="split.*one"):
        supervisor.packaging_procfile({"COCOON_PROCESSES": "three"})


def test_a_process_run_once_ends_in_one_line_and_the_others_keep_running(tmp_path):
    log = tmp_path / "out.txt"
    with open(log, "w") as out:
        run = subprocess.Popen(
            [PY, "-m", "shared.dev", "run", "-f", str(procfile(tmp_path, steady=SLEEPER)), "--once", "demo=" + DONE],
            cwd=REPO,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        wait_for(lambda: "demo.1 exited" in log.read_text(), timeout=30, message="the one-shot process to end")
        said = system_lines(log.read_text())
        assert "demo.1 exited with code 0 (last line: loaded): it runs once, the others keep running" in said
        assert run.poll() is None  # the venue is still up
    finally:
        run.send_signal(signal.SIGINT)
        run.wait(timeout=30)
    assert "steady.1 stopped" in system_lines(log.read_text())


def test_make_run_loads_the_demo_data_once_beside_the_procfile():
    recipe = (REPO / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert '--once "demo=python -m shared.demo"' in recipe


DONE = f"{PY} -c \"print('loaded')\""


def test_make_run_gives_each_nameko_service_its_own_metrics_port_and_keeps_one_set():
    found = {p.name: p.env.get("COCOON_METRICS_PORT") for p in supervisor.processes(str(REPO / "Procfile"))}
    ports = [port for name, port in found.items() if name != "gateway.1"]
    assert found["bookings.1"] == "9101" and found["gateway.1"] is None
    assert len(set(ports)) == len(ports) and None not in ports
    assert supervisor.with_metrics_port({"COCOON_METRICS_PORT": "9200"}, "team.1")["COCOON_METRICS_PORT"] == "9200"


def test_the_one_process_packaging_serves_every_service_s_metrics_on_the_first_port():
    found = {p.name: p.env.get("COCOON_METRICS_PORT") for p in supervisor.processes(str(REPO / "Procfile.one"))}
    assert found == {"services.1": "9101", "gateway.1": None}


def test_stop_group_ends_a_group_at_its_sigterm():
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    supervisor.stop_group(process, 10)
    assert process.returncode == -signal.SIGTERM


def test_stop_group_kills_a_group_that_ignores_its_sigterm_after_the_grace():
    ignoring = (
        "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print(1, flush=True); time.sleep(60)"
    )
    process = subprocess.Popen([sys.executable, "-c", ignoring], start_new_session=True, stdout=subprocess.PIPE)
    process.stdout.readline()  # its handler is set
    supervisor.stop_group(process, 0.5)
    assert process.returncode == -signal.SIGKILL
    process.stdout.close()
