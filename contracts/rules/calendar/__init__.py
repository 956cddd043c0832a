"""China's legal holiday calendar as data (R16, R18): the statutory holidays fixed by law for
every year (``law``), the State Council's yearly schedule as published by the
``chinese-calendar`` package (``package``) or loaded from its notice into the database
(``models``, ``notice``, ``services``), and the per-process cache every deadline reads
(``store``). A year known only from the law is *provisional*."""
