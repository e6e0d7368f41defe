"""Governance's URLs, one module (and namespace) per subject: ``offices``
(/governance/), ``meetings`` (/meetings/), ``voting`` (/meetings/<slug>/votes/),
``member_home`` (/my/), ``dues`` (/my/invoices/) and ``dashboard``
(/admin/dashboard/),
included by ``wego_portal.urls``."""
