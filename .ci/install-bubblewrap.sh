#!/usr/bin/env bash
# Installs bubblewrap (Debian's package) when it is missing: the build sandbox of the worker
# (docs/decisions/0008-build-sandbox.md). Then checks that it can create the namespaces builds
# need here; where it cannot, the worker falls back with a warning and the sandbox tests say so.
set -euo pipefail
if ! command -v bwrap >/dev/null 2>&1; then
  echo "ci: installing bubblewrap"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends bubblewrap >/dev/null
fi
if bwrap --unshare-user --unshare-pid --unshare-net --unshare-ipc --unshare-uts --die-with-parent --cap-drop ALL \
  --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin --proc /proc --dev /dev \
  -- /usr/bin/true >/dev/null 2>&1; then
  echo "ci: bubblewrap works (user, pid and network namespaces)"
else
  echo "ci: WARNING: bubblewrap cannot create namespaces on this machine; builds will run unconfined"
fi
