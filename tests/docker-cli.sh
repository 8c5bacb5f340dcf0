#!/bin/sh
# The real docker CLI (Debian's docker.io) takes every generated
# NAME.docker without a flag error and turns it into the container the
# policy means.  No engine runs here: the CLI talks to a stand-in for
# the Engine API on a unix socket, which records the create request;
# docker-cli-check.py compares that request with the resolved policy.
. "${srcdir:-.}/tests/lib.sh"

docker=/usr/bin/docker
py=/usr/bin/python3
if [ ! -x "$docker" ]; then
	skip "no $docker (Debian package docker.io)"
	finish
fi
if [ ! -x "$py" ]; then
	skip "no $py (Debian package python3)"
	finish
fi

sock=$scratch/engine.sock
record=$scratch/create.json
"$py" "$srcdir/tests/validate/engine-stub.py" "$sock" "$record" \
	> "$scratch/stub.out" 2>&1 &
stub=$!
trap 'kill $stub 2> /dev/null; rm -rf "$scratch"' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do
	[ -S "$sock" ] && break
	sleep 0.2
done
if [ ! -S "$sock" ]; then
	fail "the Engine API stand-in did not start"
	cat "$scratch/stub.out"
	finish
fi
# The CLI's own configuration stays in the scratch directory.
DOCKER_HOST=unix://$sock
DOCKER_CONFIG=$scratch/docker-config
export DOCKER_HOST DOCKER_CONFIG

n=0
for pol in "$srcdir"/examples/*.pol "$srcdir"/tests/golden/*.pol; do
	n=$((n + 1))
	out=$scratch/$n
	(cd "$(dirname "$pol")" &&
		"$CPOLC" -q -t docker "$(basename "$pol")" -o "$out" &&
		"$CPOLC" -q --dump "$(basename "$pol")" > "$out/dump") || {
		fail "compile $pol"
		continue
	}
	for args in "$out"/*.docker; do
		[ -f "$args" ] || continue
		name=$(basename "$args" .docker)
		: > "$record"
		# One argument a line, exactly as docker receives them.
		set --
		while IFS= read -r a; do set -- "$@" "$a"; done < "$args"
		if "$docker" create "$@" example.com/stand-in:1 \
			> "$out/$name.out" 2> "$out/$name.err" &&
			[ -s "$record" ]; then
			pass "docker create accepts $name.docker"
		else
			fail "docker create accepts $name.docker"
			cat "$out/$name.err"
			continue
		fi
		if "$py" "$srcdir/tests/validate/docker-cli-check.py" \
			"$out/dump" "$record" "$name"; then
			pass "docker sends what $name means"
		else
			fail "docker sends what $name means"
		fi
	done
done
finish
