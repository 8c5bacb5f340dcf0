#!/bin/sh
# cpolc lint: each tests/lint/CASE.pol prints exactly CASE.txt and exits
# 1 when that is not empty (0 when it is); CASE.json and CASE.sarif,
# where present, are the same findings in those formats, and parse as
# JSON with the fields code-scanning services read.
. "${srcdir:-.}/tests/lib.sh"

cd "$srcdir/tests/lint" || exit 99
for pol in *.pol; do
	name=${pol%.pol}
	want=0
	[ -s "$name.txt" ] && want=1
	"$CPOLC" lint "$pol" > "$scratch/out" 2> "$scratch/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		fail "$name: exit status $rc, want $want"
		cat "$scratch/err"
	elif ! diff -u "$name.txt" "$scratch/out"; then
		fail "$name: text differs"
	else
		pass "$name"
	fi
	for fmt in json sarif; do
		[ -f "$name.$fmt" ] || continue
		"$CPOLC" lint --format=$fmt "$pol" > "$scratch/out.$fmt"
		if diff -u "$name.$fmt" "$scratch/out.$fmt"; then
			pass "$name $fmt"
		else
			fail "$name $fmt differs"
		fi
	done
done

py=/usr/bin/python3
if [ -x "$py" ]; then
	if "$py" - findings.json findings.sarif <<'PY'
import json, sys
findings = json.load(open(sys.argv[1]))
assert findings and all(set(f) >= {"id", "cis", "severity", "policy",
                                   "file", "line", "column", "message"}
                        for f in findings)
sarif = json.load(open(sys.argv[2]))
assert sarif["version"] == "2.1.0"
run = sarif["runs"][0]
ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
assert len(run["results"]) == len(findings)
for r in run["results"]:
    assert r["level"] in ("error", "warning", "note")
    assert ids[r["ruleIndex"]] == r["ruleId"]
    region = r["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] >= 1 and region["startColumn"] >= 1
PY
	then pass "json and sarif are well formed"
	else fail "json and sarif are well formed"
	fi
else
	skip "no $py to read the JSON back"
fi

# The gate: --fail-on moves the bar; a policy that does not compile is 2.
"$CPOLC" lint --fail-on=error clean.pol > /dev/null
check fail-on-error-clean test $? -eq 0
"$CPOLC" lint --fail-on=error findings.pol > /dev/null
check fail-on-error-findings test $? -eq 1
"$CPOLC" lint --fail-on=none findings.pol > /dev/null
check fail-on-none test $? -eq 0
printf 'policy p { capabilities nope; }\n' > "$scratch/bad.pol"
"$CPOLC" lint "$scratch/bad.pol" > /dev/null 2>&1
check does-not-compile test $? -eq 2
"$CPOLC" lint --format=xml clean.pol > /dev/null 2>&1
check bad-format test $? -eq 2
finish
