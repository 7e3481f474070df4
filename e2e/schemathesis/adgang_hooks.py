"""Schemathesis hooks for `cargo xtask fuzz` (loaded through SCHEMATHESIS_HOOKS).

The two upload operations read raw bytes (a signed agreement as application/pdf, a contact
workbook as .xlsx): send generated bodies as bytes, as the built-in octet-stream serializer does.
"""

import schemathesis

schemathesis.serializer.alias(
    [
        "application/pdf",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ],
    "application/octet-stream",
)
