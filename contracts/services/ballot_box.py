"""The sealed ballot box of an electronic congress vote: one encrypted running tally, a key the
database cannot open.

At opening, a Paillier key pair (``phe``, 2048-bit n) is made for the session. The public key
(n) is stored; the private key (its primes p and q) is sealed with AES-GCM under a key derived
(HKDF-SHA256) from a random 160-bit closing code, shown once to the organiser and stored
nowhere. The database holds only the sealed blob.

A choice is packed into one integer, yes = 1, no = 2^20, abstain = 2^40 (every count stays under
2^20, since ``config.limits.COUNT_MAX`` is 1,000,000), encrypted with fresh randomness and
multiplied into the tally: Paillier adds the plaintexts, and the product is a ciphertext as fresh
as any, so the stored tally after a ballot says nothing of the choice added to it to anyone
without the private key. Only the tally is ever decrypted, at close, with the closing code.

Sizes are fixed (n in 256 bytes, a ciphertext in 512), so a row's size never tells anything
either. The private key exists in the clear only in the memory of the process that opens the
session (until it is dropped) and of the one that closes it.
"""

import secrets
from dataclasses import dataclass

import phe
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.utils.translation import gettext as _

from contracts.errors import (
    BallotBoxTampered,
    ClosingCodeMalformed,
    ClosingCodeWrong,
    TooManyDelegates,
)

KEY_BITS = 2048
N_BYTES = KEY_BITS // 8  # the public key n
CIPHERTEXT_BYTES = 2 * N_BYTES  # a ciphertext, mod n^2
PRIME_BYTES = N_BYTES // 2  # p and q
PACK_BITS = 20  # a count of each choice fits in 20 bits (COUNT_MAX is 1,000,000 < 2^20)
MAX_DELEGATES = (1 << PACK_BITS) - 1
CHOICE_PLAINTEXT = {"yes": 1, "no": 1 << PACK_BITS, "abstain": 1 << (2 * PACK_BITS)}

# The closing code: 160 random bits in Crockford's base32 (no I, L, O or U, so nothing reads as
# another sign), 32 signs written in 8 groups of 4.
CODE_BYTES = 20
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = CODE_BYTES * 8 // 5
CODE_GROUP = 4
_READ_AS = {"I": "1", "L": "1", "O": "0"}

SEAL_VERSION = b"\x01"
SALT_BYTES = 16
NONCE_BYTES = 12


def ballot_box_check_size(delegates_total: int) -> None:
    if delegates_total > MAX_DELEGATES:
        raise TooManyDelegates(
            _("An electronic ballot counts at most %(max)s delegates.") % {"max": MAX_DELEGATES},
            extra={"field": "delegates_total"},
        )


# --- the closing code -------------------------------------------------------------------


def closing_code_format(raw: bytes) -> str:
    number = int.from_bytes(raw, "big")
    signs = "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(CODE_LENGTH)))
    return "-".join(signs[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def closing_code_parse(code: str) -> bytes:
    """The code's 20 bytes, as a person may type it: any case, spaces or hyphens anywhere, and
    I, L or O for 1 or 0."""
    signs = "".join(_READ_AS.get(sign, sign) for sign in code.upper() if sign not in " -\t\r\n")
    if len(signs) != CODE_LENGTH or any(sign not in CODE_ALPHABET for sign in signs):
        raise ClosingCodeMalformed(
            _(
                "The closing code has %(length)s letters and digits, in groups of four, exactly as it was shown "
                "when the session was opened."
            )
            % {"length": CODE_LENGTH},
            extra={"field": "closing_code"},
        )
    number = 0
    for sign in signs:
        number = (number << 5) | CODE_ALPHABET.index(sign)
    return number.to_bytes(CODE_BYTES, "big")


# --- sealing the private key --------------------------------------------------------------


def _aead_key(code: bytes, salt: bytes) -> bytes:
    # The code carries 160 random bits, so a fast KDF is enough: nothing can be guessed.
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"concord ballot box key v1").derive(code)


def _associated_data(session_id: int, public_n: bytes) -> bytes:
    """What the seal is bound to: this session and this public key."""
    return b"concord ballot box|" + str(session_id).encode() + b"|" + public_n


def _seal(*, code: bytes, session_id: int, public_n: bytes, p: int, q: int) -> bytes:
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(NONCE_BYTES)
    primes = p.to_bytes(PRIME_BYTES, "big") + q.to_bytes(PRIME_BYTES, "big")
    sealed = AESGCM(_aead_key(code, salt)).encrypt(nonce, primes, _associated_data(session_id, public_n))
    return SEAL_VERSION + salt + nonce + sealed


def private_key_unseal(*, closing_code: str, session_id: int, public_n: bytes, sealed_key: bytes) -> tuple[int, int]:
    """The primes p and q of the session's private key, if ``closing_code`` is the session's."""
    code = closing_code_parse(closing_code)
    salt = sealed_key[1 : 1 + SALT_BYTES]
    nonce = sealed_key[1 + SALT_BYTES : 1 + SALT_BYTES + NONCE_BYTES]
    try:
        primes = AESGCM(_aead_key(code, salt)).decrypt(
            nonce, sealed_key[1 + SALT_BYTES + NONCE_BYTES :], _associated_data(session_id, public_n)
        )
    except InvalidTag as error:
        raise ClosingCodeWrong(
            _(
                "This closing code does not open this session's ballot box. Check it against the code written "
                "down or printed when the session was opened; nothing was changed."
            ),
            extra={"field": "closing_code"},
        ) from error
    return int.from_bytes(primes[:PRIME_BYTES], "big"), int.from_bytes(primes[PRIME_BYTES:], "big")


# --- the box ------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewBallotBox:
    public_n: bytes
    tally: bytes  # an encryption of zero
    sealed_key: bytes
    closing_code: str  # to show once, never to store


def _public_key(public_n: bytes) -> phe.PaillierPublicKey:
    return phe.PaillierPublicKey(int.from_bytes(public_n, "big"))


def _ciphertext(value: int) -> bytes:
    return value.to_bytes(CIPHERTEXT_BYTES, "big")


def ballot_box_new(*, session_id: int) -> NewBallotBox:
    """A key pair for one session: the public key and an empty tally to store, the private key
    sealed under a new closing code."""
    public_key, private_key = phe.generate_paillier_keypair(n_length=KEY_BITS)
    public_n = public_key.n.to_bytes(N_BYTES, "big")
    code = secrets.token_bytes(CODE_BYTES)
    sealed_key = _seal(code=code, session_id=session_id, public_n=public_n, p=private_key.p, q=private_key.q)
    return NewBallotBox(
        public_n=public_n,
        tally=_ciphertext(public_key.raw_encrypt(0)),
        sealed_key=sealed_key,
        closing_code=closing_code_format(code),
    )


def ballot_encrypt(*, public_n: bytes, choice: str) -> int:
    """One choice as a fresh Paillier ciphertext (the slow part of a ballot: done before any lock)."""
    return _public_key(public_n).raw_encrypt(CHOICE_PLAINTEXT[choice])


def tally_add(*, public_n: bytes, tally: bytes, ballot: int) -> bytes:
    """The tally with one encrypted ballot added (a product mod n^2)."""
    n = int.from_bytes(public_n, "big")
    return _ciphertext(int.from_bytes(tally, "big") * ballot % (n * n))


def tally_open(
    *, closing_code: str, session_id: int, public_n: bytes, sealed_key: bytes, tally: bytes
) -> dict[str, int]:
    """The counts of yes, no and abstain in the tally: the only thing ever decrypted."""
    p, q = private_key_unseal(
        closing_code=closing_code, session_id=session_id, public_n=public_n, sealed_key=sealed_key
    )
    packed = phe.PaillierPrivateKey(_public_key(public_n), p, q).raw_decrypt(int.from_bytes(tally, "big"))
    mask = (1 << PACK_BITS) - 1
    counts = {choice: (packed >> (PACK_BITS * i)) & mask for i, choice in enumerate(CHOICE_PLAINTEXT)}
    if packed >> (PACK_BITS * len(CHOICE_PLAINTEXT)):
        raise BallotBoxTampered(_("The ballot box does not hold a valid tally: it was altered outside Concord."))
    return counts
