#!/bin/sh
# The compose target, read back by its real consumers: docker-compose
# accepts every generated file and reports back the same settings as
# the docker run arguments compiled from the same policy; yamllint finds
# nothing to say about it.
. "${srcdir:-.}/tests/lib.sh"

if ! command -v docker-compose > /dev/null 2>&1; then
	skip "docker-compose not installed (Debian package docker-compose)"
	finish
fi
py=/usr/bin/python3
if ! "$py" -c 'import yaml' 2> /dev/null; then
	skip "$py cannot import yaml (Debian package python3-yaml)"
	finish
fi

n=0
for pol in "$srcdir"/examples/*.pol "$srcdir"/tests/golden/*.pol; do
	n=$((n + 1))
	out=$scratch/$n
	(cd "$(dirname "$pol")" && "$CPOLC" -q -t docker,compose \
		"$(basename "$pol")" -o "$out") || {
		fail "compile $pol"
		continue
	}
	for yml in "$out"/*.compose.yaml; do
		[ -f "$yml" ] || continue
		name=$(basename "$yml" .compose.yaml)
		var=CPOLC_IMAGE_$(echo "$name" | tr a-z- A-Z_)
		if env "$var=example.com/stand-in:1" docker-compose \
			-f "$yml" config > "$out/$name.config" 2> "$out/err"
		then
			pass "docker-compose config $name"
		else
			fail "docker-compose config $name"
			cat "$out/err"
			continue
		fi
		if "$py" "$srcdir/tests/validate/compose-check.py" \
			"$out/$name.docker" "$out/$name.config" "$name"
		then
			pass "compose matches flags $name"
		else
			fail "compose matches flags $name"
		fi
	done
done

if command -v yamllint > /dev/null 2>&1; then
	if yamllint -s -c "$srcdir/.yamllint" "$scratch"; then
		pass "yamllint"
	else
		fail "yamllint"
	fi
else
	skip "yamllint not installed (Debian package yamllint)"
fi
finish
