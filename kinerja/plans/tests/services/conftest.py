"""The cast of the SKP service stories: built once for this package, a private copy per test."""

from __future__ import annotations

from kinerja.org.testing import cast_built_once

module_cast, cast = cast_built_once("package")
