"""Read and write every reply of the SMSC sender-ID API (``senders.php``) in all four fmts.

>>> import smsc_wire as sw
>>> key = sw.Key(fmt=0, operation="get", all=True)
>>> reply = sw.decode(b"name = Shop, Inc, status = 1, id = 42", key).raise_for_error()
>>> reply[0].name, reply[0].status
('Shop, Inc', <SenderStatus.APPROVED: 1>)
>>> print(sw.encode(reply, sw.Key(fmt=1, operation="get", all=True)))
Shop, Inc,1,42
"""

import importlib
from typing import TYPE_CHECKING, Final

from ._api import DEFAULT_MAX_SIZE, decode, encode, encode_bytes
from ._codes import ErrorCode, OperatorStatus, SenderStatus
from ._errors import (
    DecodeFailure,
    EncodeError,
    InputTooLargeError,
    ServerError,
    SmscWireError,
    UnsupportedCharsetError,
    UnsupportedKeyError,
    WireFormatError,
)
from ._formats import FORMATS as wire_formats
from ._formats import WireFormat
from ._key import Key, Operation
from ._models import (
    ErrorReply,
    Ok,
    Operators,
    OperatorValue,
    Reply,
    Sender,
    SenderAdded,
    SenderList,
)
from ._registry import Codec, Registry, registry
from ._shapes import ReplyShape, register_operation, shape_of
from ._values import MAX_UINT, OPERATOR_FIELDS, OPERATOR_FIELDS_JSON

if TYPE_CHECKING:
    from ._exchange import (
        MAX_DOCUMENT_SIZE,
        MAX_REQUEST_SIZE,
        OPERATOR_FLAGS,
        REGISTRATION_FIELDS,
        Document,
        Form,
        Request,
        RequestError,
    )
    from ._exchange.har import Capture, HarError, HarLog, judge_capture, judge_har, read_har
    from ._tools.sniff import sniff
    from ._tools.verdicts import Difference, KeySource, Kind, Problem, Verdict, judge

# The exchange (requests, captures) and the tools (sniffing, verdicts) are imported on first use:
# a program that only decodes replies never pays for the email parser or the HAR reader.
_LAZY: Final = {
    **dict.fromkeys(
        (
            "MAX_DOCUMENT_SIZE", "MAX_REQUEST_SIZE", "OPERATOR_FLAGS", "REGISTRATION_FIELDS",
            "Document", "Form", "Request", "RequestError",
        ),
        "smsc_wire._exchange",
    ),
    **dict.fromkeys(
        ("Capture", "HarError", "HarLog", "judge_capture", "judge_har", "read_har"),
        "smsc_wire._exchange.har",
    ),
    "sniff": "smsc_wire._tools.sniff",
    **dict.fromkeys(
        ("Difference", "KeySource", "Kind", "Problem", "Verdict", "judge"),
        "smsc_wire._tools.verdicts",
    ),
}  # fmt: skip


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'smsc_wire' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__version__ = "0.2.0"

__all__ = [
    "DEFAULT_MAX_SIZE",
    "MAX_DOCUMENT_SIZE",
    "MAX_REQUEST_SIZE",
    "MAX_UINT",
    "OPERATOR_FIELDS",
    "OPERATOR_FIELDS_JSON",
    "OPERATOR_FLAGS",
    "REGISTRATION_FIELDS",
    "Capture",
    "Codec",
    "DecodeFailure",
    "Difference",
    "Document",
    "EncodeError",
    "ErrorCode",
    "ErrorReply",
    "Form",
    "HarError",
    "HarLog",
    "InputTooLargeError",
    "Key",
    "KeySource",
    "Kind",
    "Ok",
    "Operation",
    "OperatorStatus",
    "OperatorValue",
    "Operators",
    "Problem",
    "Registry",
    "Reply",
    "ReplyShape",
    "Request",
    "RequestError",
    "Sender",
    "SenderAdded",
    "SenderList",
    "SenderStatus",
    "ServerError",
    "SmscWireError",
    "UnsupportedCharsetError",
    "UnsupportedKeyError",
    "Verdict",
    "WireFormat",
    "WireFormatError",
    "decode",
    "encode",
    "encode_bytes",
    "judge",
    "judge_capture",
    "judge_har",
    "read_har",
    "register_operation",
    "registry",
    "shape_of",
    "sniff",
    "wire_formats",
]
