#!/bin/sh
# ruleid: generic-hardcoded-token-format
export GITHUB_TOKEN=ghp_R8x2Lq9ZtW3mK7vB1nY4cD6fH0jS5aE2gU8i
# ruleid: generic-hardcoded-token-format
AWS_ACCESS_KEY_ID=AKIAQ3EGT7KZ2MNR5W4P
# ok: generic-hardcoded-token-format
AWS_ACCESS_KEY_ID=AKIAXXXXXXXXXXXXXXXX
# ok: generic-hardcoded-token-format
GITHUB_TOKEN="${GITHUB_TOKEN:?set it}"
cat > key.pem <<'KEY'
# ruleid: generic-hardcoded-token-format
-----BEGIN OPENSSH PRIVATE KEY-----
KEY
