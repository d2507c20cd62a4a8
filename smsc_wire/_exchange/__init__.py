"""The request half of the exchange (SPEC §7, D13): requests as values, their forms and errors.

``request`` owns :class:`Request` (builders, parsers, writing, decoding the reply); ``form`` owns
how parameters travel (query strings, urlencoded and multipart bodies, the :class:`Document`);
``errors`` owns :class:`RequestError` and the rule that secrets are never shown.
"""

from .errors import RequestError
from .form import MAX_DOCUMENT_SIZE, MAX_PARAMETERS, MAX_SIZE, Document, Form
from .request import OPERATOR_FLAGS, REGISTRATION_FIELDS, Request

MAX_REQUEST_SIZE = MAX_SIZE
"""The largest URL or form body the parsers read, and a built request may write: 4 MiB."""

__all__ = [
    "MAX_DOCUMENT_SIZE",
    "MAX_PARAMETERS",
    "MAX_REQUEST_SIZE",
    "OPERATOR_FLAGS",
    "REGISTRATION_FIELDS",
    "Document",
    "Form",
    "Request",
    "RequestError",
]
