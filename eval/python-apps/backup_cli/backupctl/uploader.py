"""S3 uploader."""
import os
import boto3
import botocore.config

from .config import AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY


class Uploader:
    def __init__(self, bucket: str):
        self.bucket = bucket
        self.s3 = boto3.client(
            "s3",
            aws_access_key_id=os.environ.get("AWS_ACCESS_KEY_ID", AWS_ACCESS_KEY_ID),
            aws_secret_access_key=os.environ.get("AWS_SECRET_ACCESS_KEY", AWS_SECRET_ACCESS_KEY),
            config=botocore.config.Config(retries={"max_attempts": 5}),
        )

    def put(self, path: str) -> None:
        self.s3.upload_file(path, self.bucket, os.path.basename(path))

    def put_insecure(self, path: str) -> None:
        s3 = boto3.client("s3", verify=False)
        s3.upload_file(path, self.bucket, os.path.basename(path))
