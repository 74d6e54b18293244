"""A certificate authority made at test time: roots, intermediates and signing leaves shaped like Amazon's,
plus broken variants, and request signing the way Alexa signs. `ROOT` → `INTERMEDIATE` → `GOOD` is the chain
the verification tests and the HTTP benchmark trust; `STRANGER` chains to a root nobody trusts."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tests.support.clock import NOW

SIGNING_NAME = "echo-api.amazon.com"
_KEYS: list[rsa.RSAPrivateKey] = []


def new_key() -> rsa.RSAPrivateKey:
    # 2048-bit RSA keys are slow to make; a handful are reused across the suite's certificates.
    if len(_KEYS) < 6:
        _KEYS.append(rsa.generate_private_key(public_exponent=65537, key_size=2048))
        return _KEYS[-1]
    return _KEYS[len(_KEYS) % 6]


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


@dataclass
class Authority:
    name: str
    key: rsa.RSAPrivateKey = field(default_factory=new_key)
    issuer: Authority | None = None

    @cached_property
    def certificate(self) -> x509.Certificate:
        signer = self.issuer or self
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(self.name)).issuer_name(_name(signer.name))
            .public_key(self.key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(NOW - dt.timedelta(days=365)).not_valid_after(NOW + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None if self.issuer is None else 0),
                           critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
        )
        if self.issuer is not None:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(self.issuer.key.public_key()), critical=False)
        return builder.sign(signer.key, hashes.SHA256())

    def leaf(self, *, names: tuple[str, ...] = (SIGNING_NAME,), key=None, not_before: dt.datetime | None = None,
             not_after: dt.datetime | None = None, digital_signature: bool = True,
             purposes: tuple[x509.ObjectIdentifier, ...] | None = (ExtendedKeyUsageOID.SERVER_AUTH,)) -> Leaf:
        key = key or new_key()
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(names[0] if names else "no name")).issuer_name(_name(self.name))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(not_before or NOW - dt.timedelta(days=30))
            .not_valid_after(not_after or NOW + dt.timedelta(days=300))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=digital_signature, content_commitment=False,
                                         key_encipherment=True, data_encipherment=False, key_agreement=False,
                                         key_cert_sign=False, crl_sign=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        if names:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]),
                                            critical=False)
        if purposes:
            builder = builder.add_extension(x509.ExtendedKeyUsage(list(purposes)), critical=False)
        return Leaf(builder.sign(self.key, hashes.SHA256()), key, self)


@dataclass
class Leaf:
    certificate: x509.Certificate
    key: object
    issuer: Authority

    def chain(self, *, with_intermediate: bool = True) -> bytes:
        certs = [self.certificate] + ([self.issuer.certificate] if with_intermediate else [])
        return b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certs)


def sign(body: bytes, key, algorithm: hashes.HashAlgorithm | None = None) -> str:
    return base64.b64encode(key.sign(body, padding.PKCS1v15(), algorithm or hashes.SHA256())).decode()


def ec_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


ROOT = Authority("Runner Strength Test Root")
INTERMEDIATE = Authority("Runner Strength Test Intermediate", issuer=ROOT)
STRANGER = Authority("Somebody Else's Intermediate", issuer=Authority("Somebody Else's Root"))
GOOD = INTERMEDIATE.leaf()
