#!/bin/sh
# check-clang.sh CC: can CC build and link a libFuzzer target with ASan
# and UBSan?  Exit 0 if so; otherwise say why on stderr and exit 1.
set -eu
cc=${1:-clang}
dir=$(mktemp -d "${TMPDIR:-/tmp}/cpolc-fuzzcc.XXXXXX")
trap 'rm -rf "$dir"' EXIT
cat > "$dir/t.c" <<'EOC'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{ (void)d; (void)n; return 0; }
EOC
if ! command -v "$cc" > /dev/null 2>&1; then
	echo "fuzz: $cc not found (apt-get install clang libclang-rt-14-dev)" >&2
	exit 1
fi
if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$dir/t" "$dir/t.c" \
	> "$dir/log" 2>&1; then
	echo "fuzz: $cc cannot link -fsanitize=fuzzer" \
		"(apt-get install libclang-rt-14-dev):" >&2
	cat "$dir/log" >&2
	exit 1
fi
