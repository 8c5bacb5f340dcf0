#!/bin/bash
# aa-podman-example.sh: an example's generated flags and generated
# profile together, in a real kernel (issue 5).  cpolc compiles
# examples/batch.pol; Debian 12's kernel boots with AppArmor; the
# profile is loaded and podman runs the probe as the job's entrypoint
# with batch.docker's arguments, unedited, --security-opt=apparmor=batch
# among them.  The container must carry the label "batch (enforce)" and
# every declared access must work while the undeclared ones fail.
set -eu
. "$(dirname "$0")/lib/common.sh"

: "${CPOLC:?CPOLC must name the cpolc binary}"
e2e_scratch
(cd "$srcdir/examples" &&
	"$CPOLC" -q -t apparmor,docker batch.pol -o "$scratch/out")
cat > "$scratch/batch.spec" <<EOT
name batch-podman
profile batch
podman $scratch/out/batch.docker
probe /usr/local/bin/report
file /data/input/day.csv
file /etc/shadow 0600
program /tmp/tool
# declared: read the input, write the scratch tmpfs, run itself
allow read /data/input/day.csv
allow write /work/report.txt
allow write /tmp/x
# not declared: other files, writing the input, the read-only root
deny read /etc/shadow
deny write /data/input/day.csv
deny write /probe errno=EROFS
# /tmp is noexec, and no exec rule covers it anyway
deny exec /tmp/tool
# no network statement: no IP sockets at all
deny socket inet stream
deny socket inet6 dgram
# no capability is kept, and the user is 1000
deny cap sys_chroot
deny cap setuid
EOT
exec "$e2e_dir/aa-enforce.sh" -p "$scratch/out/batch.apparmor" \
	"$scratch/batch.spec"
