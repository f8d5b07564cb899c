# Two commands for a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
VPY    := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench bench-all soak bundle clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VPY) -m pip install --quiet --upgrade pip
	$(VPY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > $(VENV)/requirements.txt
	$(VPY) -m pip install --quiet -r $(VENV)/requirements.txt
	touch $(STAMP)

demo: $(STAMP)
	$(VPY) main.py --demo

test: lint
	QT_QPA_PLATFORM=offscreen $(VPY) -m pytest

# Style (ruff), the layers (import-linter: ui > coaching > session > camera > media, no Qt and
# no OpenCV below the windows) and the model layers' types (mypy).
lint: $(STAMP)
	$(VPY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VPY) -m mypy

# Each bench 3 times (BENCH_RUNS to change): every figure as min–median–max, and `target met`
# only when it held on every run; each run's own output goes to a log (the path is printed).
bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(VPY) bench/repeat.py bench/capture_display.py
	QT_QPA_PLATFORM=offscreen $(VPY) bench/repeat.py bench/liveview.py
	$(VPY) bench/repeat.py bench/shoot.py
	QT_QPA_PLATFORM=offscreen $(VPY) bench/repeat.py bench/coaching.py
	QT_QPA_PLATFORM=offscreen $(VPY) bench/repeat.py bench/light.py
	$(VPY) bench/repeat.py bench/client_display.py
	$(VPY) bench/repeat.py bench/capture_latency.py
	$(VPY) bench/repeat.py bench/startup.py
	$(VPY) bench/repeat.py bench/review.py
	$(VPY) bench/repeat.py bench/framing.py
	$(VPY) bench/repeat.py bench/hero_match.py
	$(VPY) bench/repeat.py bench/signoff.py

# Everything at once (live view, coach, aids, client screen, 20 phones, ingest with backup),
# idle and beside a CPU hog, 3 runs.
bench-all: $(STAMP)
	$(VPY) bench/repeat.py bench/everything.py

# The long soak: 1,000 captures with injected camera and disk faults, then the virtual camera's
# subset. Each ends with: produced=N stored=N lost=N duplicated=N faults=...
soak: $(STAMP)
	$(VPY) tests/soak/run_soak.py --captures 1000
	$(VPY) tests/soak/run_vcamera_soak.py

# A one-folder application in dist/Catchlight/ (see build.spec); check it with
# dist/Catchlight/Catchlight --self-test
bundle: $(STAMP)
	$(VPY) -m pip install --quiet "pyinstaller>=6.22"
	$(VPY) -m PyInstaller build.spec --noconfirm --clean --log-level WARN
	du -sh dist/Catchlight

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build dist
