"""Evidence on S3-compatible object storage (HOSO_EVIDENCE_S3_*), for real: moto's
S3 server on the loopback interface, spoken to over HTTP by django-storages."""

from __future__ import annotations

import hashlib

import boto3
import pytest
from django.urls import reverse

from hoso.documents.services import Upload, evidence_upload
from hoso.documents.storage import evidence_storage

from ..clients import client_for
from .samples import scanned_pdf_bytes, upload

BUCKET = "hoso-evidence"
KEYS = {"access_key": "hoso-test", "secret_key": "hoso-test-secret", "region": "us-east-1"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(s3_server, settings, tmp_path):
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"], region_name=KEYS["region"],
    )
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "evidence": evidence_storage(
            data_dir=tmp_path, bucket=BUCKET, endpoint_url=s3_server, **KEYS
        ),
    }
    yield client
    for obj in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=obj["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_the_s3_settings_choose_the_s3_backend(tmp_path):
    local = evidence_storage(data_dir=tmp_path)
    assert local["BACKEND"].endswith("FileSystemStorage")
    assert local["OPTIONS"]["location"] == str(tmp_path / "evidence")
    remote = evidence_storage(data_dir=tmp_path, bucket="b", endpoint_url="http://minio:9000")
    assert remote["BACKEND"] == "storages.backends.s3.S3Storage"
    assert remote["OPTIONS"]["endpoint_url"] == "http://minio:9000"
    assert remote["OPTIONS"]["default_acl"] is None


def test_an_upload_lands_in_the_bucket_under_its_hash_and_downloads_back(
    s3, world, evidence_kind
):
    staff = world.actors["staff"]
    content = scanned_pdf_bytes(pages=2, marker="s3")
    doc = evidence_upload(
        actor=staff, person=staff.person,
        upload=Upload(file=upload("quyet-dinh.pdf", content), kind=evidence_kind),
    )
    sha = hashlib.sha256(content).hexdigest()
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert keys == [f"{sha[:2]}/{sha[2:4]}/{sha}.pdf"]
    assert s3.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read() == content
    response = client_for(staff).get(reverse("documents:evidence_download", args=[doc.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
