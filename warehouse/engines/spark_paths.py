"""Data sets the Spark engine reads where they are (docs/scale.md, "Folders on object stores"):

- a folder given as a URI (`file://`, `hdfs://`, `s3a://`, `gs://`, `abfs(s)://`, …) is listed with
  Hadoop's FileSystem for its scheme, i.e. the connector on Spark's classpath. A scheme without one
  is refused naming the path and the connector to add: hkdash downloads nothing;
- its sales, recognised by name (`tracking_data.csv`, `tracking_data.parquet`, or a folder of that
  name holding Parquet parts, as Spark writes them), stay where they are and are read by Spark;
- its other files (influencers, posts, payouts, a store export even when named `orders.csv`, …:
  small) are copied to a local temporary folder and read as a local folder is. A sales file
  recognised only by its columns is copied too (it is then read locally, as from a local folder);
- in a local folder, a sales folder of Parquet parts is read the same way.

The sales as Spark reads them is a `SalesAt`: path-like enough for spark.stage_tracking (name,
suffix, size, `str()` the location, `open("rb")` the first bytes csvfile.sniff reads).
"""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

from warehouse import csvfile, store_orders
from warehouse.errors import Problem
from warehouse.sources import known_names, role_by_name

URI = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# Hadoop's connector of each object-store scheme: the jar (Maven coordinates) and its FileSystem.
CONNECTORS = {
    "s3a": "hadoop-aws (org.apache.hadoop:hadoop-aws, FileSystem org.apache.hadoop.fs.s3a.S3AFileSystem, "
    "with the AWS SDK bundle it names)",
    "gs": "the Cloud Storage connector (com.google.cloud.bigdataoss:gcs-connector, FileSystem "
    "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem)",
    "abfs": "hadoop-azure (org.apache.hadoop:hadoop-azure, FileSystem org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem)",
    "abfss": "hadoop-azure (org.apache.hadoop:hadoop-azure, FileSystem "
    "org.apache.hadoop.fs.azurebfs.SecureAzureBlobFileSystem)",
    "hdfs": "the HDFS client (hadoop-client)",
}
SALES_SUFFIXES = (".csv", ".txt", ".tsv", ".parquet")


def is_uri(source) -> bool:
    """Whether a command line's folder is a URI (scheme://…) rather than a local path."""
    return isinstance(source, str) and URI.match(source) is not None


@dataclasses.dataclass(frozen=True)
class SalesAt:
    """The sales file, or folder of Parquet parts, that Spark reads where it is."""

    location: str  # what Spark reads: a URI or a local path
    name: str
    parquet: bool
    size: int  # bytes (all parts)
    folder: bool  # several Parquet parts: rows are numbered across them in name order
    head: Path | None = None  # a CSV's first bytes, copied locally for csvfile.sniff

    @property
    def suffix(self) -> str:
        """As Path.suffix: what stage_tracking tells Parquet from CSV by."""
        return ".parquet" if self.parquet else Path(self.name).suffix

    def stat(self) -> os.stat_result:
        """As Path.stat, with the size only (an empty file is refused as a local one is)."""
        return os.stat_result((0, 0, 0, 0, 0, 0, self.size, 0, 0, 0))

    def open(self, mode: str = "rb"):
        """The local copy of a CSV's first bytes: all csvfile.sniff reads."""
        if self.head is None or mode != "rb":
            raise OSError(f"{self.location}: only its first bytes are local")
        return self.head.open("rb")

    def __str__(self) -> str:
        return self.location

    def cannot_repair(self) -> Problem:
        """Spark reads a clean UTF-8 CSV where it is; csvfile's repair reads the file on this machine."""
        return Problem(
            self.name,
            None,
            None,
            None,
            f"read where it is ({self.location}), the sales file must be clean UTF-8 CSV (every line a whole "
            "record of the header's width, no blank rows) or Parquet; this one needs the repair a local file "
            "gets (another encoding, short rows, line breaks inside cells or blank rows): convert it to Parquet, "
            "or import it from a local folder",
        )


def local_sales_folder(folder: Path) -> SalesAt | None:
    """In a local folder: a sales folder of Parquet parts (`tracking_data/` or `tracking_data.parquet/`)."""
    for entry in sorted(folder.iterdir()) if folder.is_dir() else []:
        if entry.is_dir() and role_by_name(entry.name) == "tracking":
            parts = sorted(entry.glob("*.parquet"))
            if parts:
                size = sum(p.stat().st_size for p in parts)
                return SalesAt(str(entry), entry.name, True, size, folder=True)
    return None


def fetch_folder(spark, uri: str, local: Path) -> tuple[SalesAt | None, list[Problem]]:
    """List the folder at `uri` with Hadoop's FileSystem, copy its files but the sales into `local`
    (created) and return the sales Spark reads there (None if the folder has none by name), or the
    problems: no connector for the scheme, a folder not found or not readable."""
    jvm = spark.sparkContext._jvm
    conf = spark.sparkContext._jsc.hadoopConfiguration()
    root = jvm.org.apache.hadoop.fs.Path(uri)
    try:
        fs = root.getFileSystem(conf)
        if not fs.getFileStatus(root).isDirectory():
            return None, [Problem(uri, None, None, None, "is not a folder")]
        entries = sorted(fs.listStatus(root), key=lambda status: status.getPath().getName())
    except Exception as error:  # py4j's Py4JJavaError: Hadoop's exception is in its text
        return None, [_listing_problem(uri, str(error))]
    local.mkdir(parents=True)
    sales = None
    for status in entries:
        name = status.getPath().getName()
        if name.startswith((".", "_")):  # hidden files, Spark's _SUCCESS markers
            continue
        at = _sales_entry(fs, status, local, jvm) if role_by_name(name) == "tracking" else None
        if at is not None and sales is None:
            sales = at
        elif status.isFile():
            fs.copyToLocalFile(False, status.getPath(), jvm.org.apache.hadoop.fs.Path(str(local / name)), True)
    return sales, []


def _sales_entry(fs, status, local: Path, jvm) -> SalesAt | None:
    path, name = status.getPath(), status.getPath().getName()
    if status.isDirectory():
        parts = [s for s in fs.listStatus(path) if s.isFile() and s.getPath().getName().endswith(".parquet")]
        if not parts:
            return None
        return SalesAt(path.toString(), name, True, sum(s.getLen() for s in parts), folder=True)
    suffix = Path(name).suffix.lower()
    if suffix not in SALES_SUFFIXES:
        return None
    if suffix == ".parquet":
        return SalesAt(path.toString(), name, True, status.getLen(), folder=False)
    head = local.parent / f"{local.name}-head-{name}"
    stream = fs.open(path)
    try:
        head.write_bytes(bytes(stream.readNBytes(csvfile.HEAD_BYTES)))
    finally:
        stream.close()
    layout, _ = csvfile.sniff(head, known_names)
    if layout is not None and (store_orders.store_of(layout.header) or store_orders.is_code_map(layout.header)):
        return None  # a store export named like sales (orders.csv): DuckDB reads it (store_orders)
    return SalesAt(path.toString(), name, False, status.getLen(), folder=False, head=head)


def _listing_problem(uri: str, error: str) -> Problem:
    match = URI.match(uri)
    scheme = match.group(1).lower() if match else ""
    if "No FileSystem for scheme" in error or ("ClassNotFoundException" in error and "FileSystem" in error):
        connector = CONNECTORS.get(scheme, f"the Hadoop FileSystem of {scheme}://")
        reason = (
            f"Spark has no connector for {scheme}:// on its classpath: add {connector} to the Spark that runs "
            "the import (spark.jars in spark-defaults.conf, or the cluster's jars) and configure its credentials "
            "as the cluster does; hkdash downloads nothing"
        )
    elif "FileNotFoundException" in error:
        reason = "folder not found"
    else:
        first = next((line for line in error.splitlines() if "Exception" in line), error.splitlines()[0])
        reason = f"cannot list the folder: {first.strip().lstrip(': ')}"
    return Problem(uri, None, None, None, reason)
