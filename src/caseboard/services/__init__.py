"""Use cases: check the role, validate, call the domain, write in one transaction.

This module only re-exports: each use case lives in its own module (session, opening,
operators, intake, cases, actions, access, …); role rules are domain/roles.py.
"""

from caseboard.domain.roles import (
    DISPATCH,
    EVERYONE_WHO_WRITES,
    ROLES_FOR,
    SUPERVISOR,
    Action,
    refusal,
    roles_for,
)
from caseboard.services.cases import (
    CHILD_MATCH_LIMIT,
    CaseDetail,
    CaseList,
    ChildMatch,
    find_children,
    list_cases,
    read_cases,
    search_case_ids,
    show_case,
    summarise_record,
    summarise_records,
)
from caseboard.services.intake import import_records, open_case
from caseboard.services.opening import init_database, open_session
from caseboard.services.operators import add_operator, disable_operator, list_operators
from caseboard.services.session import Session
from caseboard.store.files import file_identity

__all__ = [
    "CHILD_MATCH_LIMIT", "DISPATCH", "EVERYONE_WHO_WRITES", "ROLES_FOR", "SUPERVISOR", "Action",
    "CaseDetail", "CaseList", "ChildMatch", "Session", "add_operator", "disable_operator",
    "file_identity", "find_children", "import_records", "init_database", "list_cases",
    "list_operators", "open_case", "open_session", "read_cases", "refusal", "roles_for",
    "search_case_ids", "show_case", "summarise_record", "summarise_records",
]  # fmt: skip
