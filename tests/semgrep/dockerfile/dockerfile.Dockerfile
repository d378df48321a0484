FROM debian:12-slim
# ruleid: docker-add-remote-url-without-checksum
ADD https://x.example/tool-1.2.tgz /opt/
# ruleid: docker-add-remote-url-without-checksum
ADD --chown=app:app https://x.example/tool-1.2.tgz /opt/
# ok: docker-add-remote-url-without-checksum
ADD --checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d https://x.example/tool-1.2.tgz /opt/
# ok: docker-add-remote-url-without-checksum
ADD ./local /opt/local
