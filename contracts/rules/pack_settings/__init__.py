"""What an administrator sets per rule pack, beside the pack's defaults in code (``packs``):
today the majority of the workers' congress (R6), which PCC Art. 36 lets read as "half or
more" where a local regulation says so. Each setting names who changed it, when, and its
legal basis, with its history (``models``); the pack in force applies it (``store``); it is
edited in the admin (``admin``, registered from ``contracts.admin``)."""
