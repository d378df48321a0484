"""Containers: `docker run`/`podman run` and `docker exec` run a command too. The command inside is
analysed like any other; a credential folder mounted into the container (`-v ~/.aws:/root/.aws`)
holds credentials at its path inside, and a container that has one and talks to the network is
exfiltration (BDL402) whatever the image is."""
from __future__ import annotations

from backdoor_lint.checkers.shell.staging import normalise
from backdoor_lint.checkers.shell.values import UNKNOWN, Stream, Word

# options of `docker run` / `podman run` / `docker exec` that take a value (the rest are flags)
_VALUE_OPTIONS = {
    "-a", "--attach", "--add-host", "--annotation", "--blkio-weight", "--cap-add", "--cap-drop", "--cgroup-parent",
    "--cgroupns", "--cidfile", "--cpu-period", "--cpu-quota", "--cpu-shares", "-c", "--cpus", "--cpuset-cpus",
    "--cpuset-mems", "--device", "--dns", "--dns-option", "--dns-search", "--entrypoint", "-e", "--env",
    "--env-file", "--expose", "--gpus", "--group-add", "--health-cmd", "-h", "--hostname", "--ip", "--ip6",
    "--ipc", "--isolation", "-l", "--label", "--label-file", "--link", "--log-driver", "--log-opt",
    "--mac-address", "-m", "--memory", "--memory-swap", "--mount", "--name", "--network", "--net",
    "--network-alias", "--pid", "--platform", "-p", "--publish", "--pull", "--restart", "--runtime",
    "--security-opt", "--shm-size", "--stop-signal", "--stop-timeout", "--storage-opt", "--sysctl", "--tmpfs",
    "--ulimit", "-u", "--user", "--userns", "--uts", "-v", "--volume", "--volumes-from", "-w", "--workdir",
    "--detach-keys",
}


_CLOUD_CLIS = {"aws", "gsutil", "az", "azcopy", "s3cmd", "rclone"}


def _mounts(option: str, value: str) -> tuple[str, str] | None:
    """(host path, container path) of a -v/--volume/--mount value."""
    if option in ("-v", "--volume"):
        parts = value.split(":")
        return (parts[0], parts[1]) if len(parts) >= 2 else None
    if option == "--mount":
        fields = dict(f.split("=", 1) for f in value.split(",") if "=" in f)
        source = fields.get("source") or fields.get("src") or ""
        target = fields.get("target") or fields.get("destination") or fields.get("dst") or ""
        return (source, target) if source and target else None
    return None


class ContainerRunner:
    """Mixin of the analyser: `docker run [options] image [command...]`, `docker exec ctr command`."""

    def run_container(self, name: str, args: list[Word], node) -> Stream:
        texts = [a.text for a in args]
        start = 2 if texts[:2] in (["container", "run"], ["container", "exec"]) else 1
        action = texts[start - 1] if texts else ""
        if action not in ("run", "exec", "create"):
            return UNKNOWN
        mounted: list[tuple[str, str]] = []  # (what the host path holds, container path)
        entrypoint = None
        i = start
        while i < len(args):
            option, eq, inline = texts[i].partition("=")
            if not texts[i].startswith("-") or texts[i] == "-":
                break
            value = inline if eq else texts[i + 1] if option in _VALUE_OPTIONS and i + 1 < len(texts) else None
            i += 1 if eq or option not in _VALUE_OPTIONS else 2
            if value is None:
                continue
            if option == "--entrypoint":
                entrypoint = Word(value)
            mount = _mounts(option, value)
            if mount and self.staged.held(mount[0]):
                mounted.append((self.staged.held(mount[0]), mount[1]))
        command = args[i + 1:]  # after the image (run) or the container (exec)
        if entrypoint is not None:
            command = [entrypoint] + command
        if not command:
            return UNKNOWN
        inner = self.child()
        for held, target in mounted:  # inside, the mount point holds what the host folder holds
            inner.staged.add(target, held, "cred")
            inner.staged.added.pop(normalise(target, inner.staged.cwd), None)  # not a file on this machine
        network_before = len(self.result.network)
        inner.run_argv(command, UNKNOWN, node)
        # the cloud CLIs use mounted credentials for their own service (`aws s3 ls` with ~/.aws)
        used = next((n.program for n in self.result.network[network_before:] if n.program not in _CLOUD_CLIS), None)
        if mounted and used:
            folders = ", ".join(dict.fromkeys(h for h, _ in mounted))
            self.result.add("BDL402", f"mounts credentials ({folders}) into a container that runs {used}: whatever "
                            "runs inside can send them anywhere. Mount only what the container needs, read-only, "
                            "and keep credential folders out", self.snippet(node))
        return UNKNOWN
