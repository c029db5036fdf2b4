# Every target bootstraps .venv on its own: `make run` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
TASK ?= Rewrite the myth of Sisyphus as a hypothesis about artificial general intelligence
ARGS ?=

# llama-cpp-python compiles llama.cpp from source. We build its wheel once into a wheelhouse keyed
# by version and CMake flags (pip's own wheel cache ignores CMAKE_ARGS, so a GPU build and a CPU
# build would collide there) and reinstall from it on every fresh venv.
# Default: a portable AVX2 CPU build. Native builds enable AMX on recent Xeons, which segfaults
# in llama.cpp's AMX kernels on many VMs. For a GPU: make LLAMA_CMAKE_ARGS="-DGGML_CUDA=on" ...
LLAMA_VERSION ?= 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF
LLAMA_KEY := $(shell printf '%s' '$(LLAMA_VERSION) $(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
WHEELHOUSE ?= $(HOME)/.cache/noetic/wheelhouse/llama-$(LLAMA_KEY)
LLAMA_WHEEL_STAMP := $(WHEELHOUSE)/.built

.PHONY: run test bench lint clean-venv browser

run: $(VENV)/.installed
	$(BIN)/noetic run "$(TASK)" $(ARGS)

test: $(VENV)/.installed browser
	$(BIN)/pytest $(ARGS)

bench: $(VENV)/.installed
	$(BIN)/python -m bench $(ARGS)

PILLARS := agents graphs memory policies
# mypy cannot run setuptools' editable import hook; [tool.mypy] mypy_path finds noetic.<pillar> here.
TYPECHECK_LINKS := $(PILLARS:%=build/typecheck/noetic/%)

lint: $(VENV)/.installed
	$(BIN)/ruff check noetic $(PILLARS) tests bench examples
	$(BIN)/mypy -p noetic
	$(BIN)/mypy examples

$(TYPECHECK_LINKS): build/typecheck/noetic/%:
	@mkdir -p $(@D)
	ln -sfn ../../../$* $@

$(LLAMA_WHEEL_STAMP):
	@mkdir -p $(WHEELHOUSE)
	@echo "Building llama-cpp-python $(LLAMA_VERSION) once (several minutes on 2 cores) into $(WHEELHOUSE)"
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(PYTHON) -m pip wheel --no-deps --no-cache-dir --no-binary llama-cpp-python \
		-w $(WHEELHOUSE) llama-cpp-python==$(LLAMA_VERSION)
	@touch $@

$(VENV)/.installed: pyproject.toml examples/noetic-pov-roles/pyproject.toml $(LLAMA_WHEEL_STAMP) | $(TYPECHECK_LINKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --find-links $(WHEELHOUSE) llama-cpp-python==$(LLAMA_VERSION)
	$(BIN)/python -m pip install -q --find-links $(WHEELHOUSE) -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps -e examples/noetic-pov-roles
	@touch $@

# The HTML report is tested in real headless Chromium (Debian's `chromium`). Installed when we
# can (root with apt-get, as on CI); elsewhere the browser tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
		echo "note: headless Chromium is not installed; the report's browser tests will be skipped"

clean-venv:
	rm -rf $(VENV)
