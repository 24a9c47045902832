"""Reconcile the raw folder, the manifest, the lake and the warehouse (`etl audit`; check audit_reconciles).

Every raw file must be parsed, rejected with a reason, or a known duplicate capture of an article, and the
counts must agree at each layer. Pure logic: no Dagster import (etl/defs/audit/ wraps it as an asset check).
"""

from etl.audit.report import AuditReport, Finding
from etl.audit.run import audit

__all__ = ["AuditReport", "Finding", "audit"]
