#!/bin/bash
# aa-podman.sh: make-check test of flags and profile together (issue 5):
# in Debian 12's kernel with AppArmor active, podman runs the probe with
# data/standin.docker (docker arguments as the backend writes them,
# --security-opt=apparmor=cpolc_standin included, unedited) and the
# stand-in profile loaded. The container must be confined by the profile
# (its label is checked: a dropped or ignored apparmor flag would show
# "unconfined") and pass data/standin-podman.spec. The negative control
# for the same checks is aa-standin.sh's. One boot, about 25 s.
set -eu
. "$(dirname "$0")/lib/common.sh"

d=$e2e_dir/data
exec "$e2e_dir/aa-enforce.sh" -p "$d/standin.apparmor" \
	"$d/standin-podman.spec"
