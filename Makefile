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
# The wheel is built from the unpacked sdist in a kept build tree, so llama.cpp's own
# `llama-server` (the scale-out model server) is then built in that same tree from the same
# sources and flags, reusing the compiled libraries: no web UI and nothing downloaded. So is
# `llama-batched-bench`, llama.cpp's own batching figures, which `make bench` prints beside ours.
LLAMA_VERSION ?= 0.3.36
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DLLAVA_BUILD=OFF
# Always off, in the wheel and the server alike (so the server reuses every library the wheel
# built): TLS and curl, which only llama.cpp's model downloads use.
LLAMA_NO_DOWNLOADS := -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF
LLAMA_KEY := $(shell printf '%s' '$(LLAMA_VERSION) $(LLAMA_CMAKE_ARGS) $(LLAMA_NO_DOWNLOADS) tree' | sha256sum | cut -c1-12)
WHEELHOUSE ?= $(HOME)/.cache/noetic/wheelhouse/llama-$(LLAMA_KEY)
LLAMA_WHEEL_STAMP := $(WHEELHOUSE)/.built
LLAMA_SRC := $(WHEELHOUSE)/src/llama_cpp_python-$(LLAMA_VERSION)
LLAMA_TREE := $(WHEELHOUSE)/build
LLAMA_SERVER_ARGS := -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_UI=OFF \
	-DLLAMA_USE_PREBUILT_UI=OFF

.PHONY: run test bench lint clean-venv system-packages llama-server

run: $(VENV)/.installed
	$(BIN)/noetic run "$(TASK)" $(ARGS)

# Test files run in TEST_WORKERS processes (pytest-xdist; a file's tests stay in one, sharing its
# fixtures): the CLI tests are mostly Python start-up, and llama.cpp waits passively, so two
# workers keep two cores busy. TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 2

test: $(VENV)/.installed $(BIN)/llama-server $(BIN)/llama-batched-bench system-packages
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(ARGS)

bench: $(VENV)/.installed $(BIN)/llama-server $(BIN)/llama-batched-bench
	$(BIN)/python -m bench $(ARGS)

PILLARS := agents graphs memory policies
# mypy cannot run setuptools' editable import hook; [tool.mypy] mypy_path finds noetic.<pillar> here.
TYPECHECK_LINKS := $(PILLARS:%=build/typecheck/noetic/%)

lint: $(VENV)/.installed
	$(BIN)/ruff check noetic $(PILLARS) tests bench examples
	$(BIN)/ruff format --check noetic $(PILLARS) tests bench examples
	$(BIN)/mypy -p noetic
	$(BIN)/mypy examples

$(TYPECHECK_LINKS): build/typecheck/noetic/%:
	@mkdir -p $(@D)
	ln -sfn ../../../$* $@

$(LLAMA_WHEEL_STAMP):
	@mkdir -p $(WHEELHOUSE)/src
	@echo "Building llama-cpp-python $(LLAMA_VERSION) once (several minutes on 2 cores) into $(WHEELHOUSE)"
	$(PYTHON) -m pip download -q --no-deps --no-binary :all: -d $(WHEELHOUSE)/src llama-cpp-python==$(LLAMA_VERSION)
	tar -xzf $(WHEELHOUSE)/src/llama_cpp_python-$(LLAMA_VERSION).tar.gz -C $(WHEELHOUSE)/src
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS) $(LLAMA_NO_DOWNLOADS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(PYTHON) -m pip wheel --no-deps --no-cache-dir -C build-dir=$(LLAMA_TREE) \
		-w $(WHEELHOUSE) $(LLAMA_SRC)
	@touch $@

# Kept: make would delete a chained rule's intermediate file, here the binary the link points to.
.PRECIOUS: $(LLAMA_TREE)/bin/llama-%
$(LLAMA_TREE)/bin/llama-%: $(LLAMA_WHEEL_STAMP)
	cmake -S $(LLAMA_SRC) -B $(LLAMA_TREE) $(LLAMA_SERVER_ARGS) >/dev/null
	cmake --build $(LLAMA_TREE) --target llama-$* -j $$(nproc)

# `make llama-server`: the server next to the venv's Python, as `.venv/bin/llama-server`.
llama-server: $(BIN)/llama-server

$(BIN)/llama-%: $(LLAMA_TREE)/bin/llama-% $(VENV)/.installed
	ln -sfn $< $@

$(VENV)/.installed: pyproject.toml examples/noetic-pov-roles/pyproject.toml $(LLAMA_WHEEL_STAMP) | $(TYPECHECK_LINKS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q --find-links $(WHEELHOUSE) llama-cpp-python==$(LLAMA_VERSION)
	$(BIN)/python -m pip install -q --find-links $(WHEELHOUSE) -e '.[dev]'
	$(BIN)/python -m pip install -q --no-deps -e examples/noetic-pov-roles
	@touch $@

# Tests use two Debian packages where they can: the HTML report runs in real headless Chromium
# (`chromium`), and the PostgreSQL store on a throwaway cluster of `postgresql`. Missing ones are
# installed in one apt-get call when we can (root with apt-get, as on CI); elsewhere those tests
# skip and say why.
system-packages:
	@missing=$$(command -v chromium >/dev/null 2>&1 || echo chromium; \
		ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || echo postgresql); \
	[ -z "$$missing" ] || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; } || \
		echo "note: not installed: $$missing; the tests that need them will be skipped"

clean-venv:
	rm -rf $(VENV)
