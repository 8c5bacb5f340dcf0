#!/bin/sh
# The example policy repository (examples/repo): make compiles it,
# depfiles make a template edit rebuild the policies that use it, and
# each CI check (lint, fmt-check, verify) passes on the repository and
# fails when someone breaks what it guards.
. "${srcdir:-.}/tests/lib.sh"

if ! command -v make > /dev/null; then
	skip "no make"
	finish
fi
repo=$scratch/repo
cp -R "$srcdir/examples/repo" "$repo"
rm -rf "$repo/out"
m() { make -s -C "$repo" CPOLC="$CPOLC" "$@" > "$scratch/out" 2>&1; }

m
check build test $? -eq 0 -a -f "$repo/out/web.apparmor" \
	-a -f "$repo/out/api.docker" -a -f "$repo/out/worker.compose.yaml"
m check
check clean-repo-checks test $? -eq 0
m -q
check nothing-to-rebuild test $? -eq 0
sleep 1
touch "$repo/templates/web-server.pol"
make -s -q -C "$repo" CPOLC="$CPOLC" out/web.docker
check template-edit-rebuilds-user test $? -eq 1
make -s -q -C "$repo" CPOLC="$CPOLC" out/api.docker
check template-edit-spares-others test $? -eq 0
m
check rebuild test $? -eq 0

echo '--label=tampered' >> "$repo/out/web.docker"
m verify
check verify-catches-edit test $? -ne 0
check verify-names-it grep -q "differs: out/web.docker" "$scratch/out"
m
rm "$repo/out/web.docker"
m all
mv "$repo/policies/worker.pol" "$scratch/"
m verify
check verify-catches-stale grep -q "stale: out/worker.docker" \
	"$scratch/out"
mv "$scratch/worker.pol" "$repo/policies/"

printf 'policy p{read /a;}\n' > "$repo/policies/p.pol"
m fmt-check
check fmt-check-catches test $? -ne 0
m fmt
m fmt-check
check fmt-fixes test $? -eq 0
sed -i 's/^    user 1000:1000;$/    unsafe writable-root;/' \
	"$repo/policies/api.pol"
m lint
check lint-catches test $? -ne 0
check lint-says grep -q "unsafe-writable-root" "$scratch/out"
finish
