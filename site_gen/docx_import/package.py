"""Import: the .docx as a zip file, unpacked within limits before python-docx opens it (issue 31).

A .docx is a zip of XML parts and pictures, and a zip can claim anything about its parts: a
574 KB file whose word/document.xml unpacks to 190 MB (which python-docx then parses and the
import walks, minutes and gigabytes later), or a directory that says a part unpacks to 1,000
bytes while it unpacks to 2 GB (zipfile inflates a whole part in one call and only then
compares it with the size it was told). So the import never asks the zip what its parts
weigh: it reads the file once into memory and inflates every part itself, a megabyte at a
time, counting the bytes it really gets, and stops at the first limit passed:

- all parts together: 200 MB (the .docx file itself may not be larger either);
- the parts that can be read as XML (they begin with '<'), together: 25 MB. This is the text
  python-docx and the import parse and walk, at about a second and 15-25 MB of memory for
  each MB, so it decides how long an import takes (2 MB is some 22,000 paragraphs). A part
  counts as XML by its bytes, not its name, so a body renamed to look like a picture counts;
- 10 seconds of unpacking, and a zip directory of at most 4 MB (tens of thousands of parts).

A part that unpacks to another size or checksum than the zip's directory gives it, or that is
packed with a method Word does not use (zipfile reads bzip2 and LZMA parts in one unbounded
call), is damage. Only a package whose every part unpacked within the limits to exactly what
its directory says is handed on, as the same bytes in memory: python-docx's zipfile then gets
no more out of any part than was counted here.
"""
from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

from ..i18n import _

MB = 1000 * 1000
FILE_LIMIT = 200 * MB            # the .docx file, read into memory once
TOTAL_LIMIT = 200 * MB           # every part, as actually unpacked, together
TEXT_LIMIT = 25 * MB             # the parts that can be read as XML, together
DIRECTORY_LIMIT = 4 * MB         # the zip's central directory (zipfile holds each entry)
SECONDS = 10.0                   # unpacking every part
CHUNK = 1024 * 1024              # the most one inflating step gives back
FEED = 64 * 1024                 # the compressed bytes handed to zlib at a time
XML_STARTS = (b"<", b"\x00", b"\x4c")   # '<' in UTF-8, UTF-16/32 (a NUL first) and EBCDIC
BYTE_ORDER_MARKS = (b"\xef\xbb\xbf", b"\xfe\xff", b"\xff\xfe")


class Unreadable(Exception):
    """The file is no .docx, or a damaged one; the message says why, in the editor's language."""


class TooLarge(Exception):
    """The file unpacks to more than the import reads; the message says which limit."""


class Named(io.BytesIO):
    """The checked bytes of the .docx, named by its path in python-docx's own messages."""

    def __init__(self, data: bytes, name: str):
        super().__init__(data)
        self.name = name

    def __str__(self) -> str:
        return self.name


def read(path) -> bytes:
    """The bytes of the .docx at `path`, once every part has unpacked within the limits.
    Raises TooLarge or Unreadable; nothing is inflated past a limit."""
    try:
        with open(path, "rb") as file:
            data = file.read(FILE_LIMIT + 1)
    except OSError as exc:
        raise Unreadable(_("it is not a complete .docx file ({exc})").format(exc=exc)) from None
    if len(data) > FILE_LIMIT:
        raise TooLarge(_("the file is more than {limit} MB").format(limit=FILE_LIMIT // MB))
    check(data)
    return data


def check(data: bytes) -> None:
    """Unpack every part of the zip in `data`, counting; raise at the first limit passed or
    the first damage found."""
    directory = _directory_size(data)
    if directory is not None and directory > DIRECTORY_LIMIT:
        raise TooLarge(_("it is made of too many parts (its zip directory is more than {limit} "
                         "MB)").format(limit=DIRECTORY_LIMIT // MB))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError,
            struct.error) as exc:
        raise Unreadable(_("it is not a complete .docx file ({exc})").format(exc=exc)) from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names and "[Content_Types].xml" not in names:
        raise Unreadable(_("it is a zip file, but holds no Word document"))
    counted = Counted(time.monotonic() + SECONDS)
    for member in members:
        if member.flag_bits & 0x1:          # encrypted: zipfile will not unpack it at all
            continue
        counted.part(data, member)


class Counted:
    """The bytes unpacked so far, all parts and XML parts, and the time they may take."""

    def __init__(self, deadline: float):
        self.deadline = deadline
        self.total = 0
        self.text = 0

    def part(self, data: bytes, member: zipfile.ZipInfo) -> None:
        name = member.filename
        if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Unreadable(_("{part} is packed with a method Word does not use (zip method "
                               "{method})").format(part=name, method=member.compress_type))
        start = _data_start(data, member)
        if start is None:
            raise _damaged(name)
        packed = memoryview(data)[start:start + member.compress_size]
        size, crc, xml = 0, 0, None
        try:
            for piece in _unpacked(packed, member.compress_type):
                if xml is None:                 # the first bytes say what the part is
                    xml = may_be_xml(piece[:64])
                size += len(piece)
                crc = zlib.crc32(piece, crc)
                self.count(name, len(piece), xml)
        except zlib.error:
            raise _damaged(name) from None
        if size != member.file_size or crc != member.CRC or \
                member.compress_type == zipfile.ZIP_STORED and size != member.compress_size:
            raise _damaged(name)

    def count(self, name: str, size: int, xml: bool) -> None:
        """Add `size` unpacked bytes of part `name`, XML or not; raise TooLarge past a limit
        or the deadline."""
        self.total += size
        if xml:
            self.text += size
        if self.text > TEXT_LIMIT:
            raise TooLarge(_("its text parts unpack to more than {limit} MB (the import stopped "
                             "at {part})").format(limit=TEXT_LIMIT // MB, part=name))
        if self.total > TOTAL_LIMIT:
            raise TooLarge(_("its parts unpack to more than {limit} MB in all (the import "
                             "stopped at {part})").format(limit=TOTAL_LIMIT // MB, part=name))
        if time.monotonic() > self.deadline:
            raise TooLarge(_("unpacking it takes more than {seconds} seconds").format(
                seconds=int(SECONDS)))


def _damaged(name: str) -> Unreadable:
    return Unreadable(_("{part} is damaged: it does not unpack to what the zip's directory "
                        "says").format(part=name))


def may_be_xml(head: bytes) -> bool:
    """Whether a part beginning with `head` could be parsed as XML: after white space it
    begins with '<', or with a byte order mark or the first byte of '<' in UTF-16, UTF-32 or
    EBCDIC. A picture begins with its format's signature (PNG, JPEG, EMF), never with these."""
    if head.startswith(BYTE_ORDER_MARKS):
        return True
    stripped = head.lstrip(b" \t\r\n")
    return not stripped and bool(head) or stripped[:1] in XML_STARTS


def _unpacked(packed: memoryview, method: int):
    """The part's bytes, at most CHUNK at a time: for a deflated part every byte its
    compressed data inflates to (up to the end of the stream), whatever the directory says."""
    if method == zipfile.ZIP_STORED:
        for at in range(0, len(packed), CHUNK):
            yield bytes(packed[at:at + CHUNK])
        return
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    at = 0
    while not inflater.eof:
        if inflater.unconsumed_tail:
            piece = inflater.decompress(inflater.unconsumed_tail, CHUNK)
        elif at < len(packed):
            piece = inflater.decompress(packed[at:at + FEED], CHUNK)
            at += FEED
        else:
            piece = inflater.decompress(b"", CHUNK) or inflater.flush()
            if not piece:
                return
        if piece:
            yield piece


def _data_start(data: bytes, member: zipfile.ZipInfo) -> int | None:
    """Where the part's compressed bytes begin, read from its local header as zipfile
    reads it (None if there is no local header there)."""
    at = member.header_offset
    header = data[at:at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        return None
    name_length, extra_length = struct.unpack("<HH", header[26:30])
    return at + 30 + name_length + extra_length


def _directory_size(data: bytes) -> int | None:
    """The size of the zip's central directory, as its end record gives it (before zipfile
    reads every entry into memory), or None if there is no end record."""
    try:
        record = zipfile._EndRecData(io.BytesIO(data))
        return record[zipfile._ECD_SIZE] if record else None
    except (AttributeError, IndexError, OSError, struct.error, zipfile.BadZipFile):
        return None
