"""Governance's URLs, one module (and namespace) per subject: ``offices``
(/governance/), ``meetings`` (/meetings/), ``voting`` (/meetings/<slug>/votes/)
and ``member_home`` (/my/),
included by ``wego_portal.urls``."""
