"""Data for steps/encoding.py: Vietnamese legacy encodings and the syllable inventory.

Tables only, no logic. VISCII 1.1 (RFC 1456) and TCVN 5712:1993 (VN1, whose upper half is the
ABC/TCVN3 ".VnTime" font encoding) are written per byte; both were checked against glibc's iconv
charmaps (tests/test_encodings.py repeats that check where `iconv` exists). VNI-Windows writes a
letter as a base letter and a "mark" character; its table maps those sequences as they read in
windows-1252. The syllable lists let the detector tell real Vietnamese from a wrong decoding.
"""

from __future__ import annotations

# VISCII: letters on six C0 positions and on all of 0x80-0xFF.
VISCII_C0 = {0x02: "Ẳ", 0x05: "Ẵ", 0x06: "Ẫ", 0x14: "Ỷ", 0x19: "Ỹ", 0x1E: "Ỵ"}
VISCII_HIGH = (
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"  # 0x80
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"  # 0x90
    "Õắằặấầẩậẽẹếềểễệố"  # 0xA0
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"  # 0xB0
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"  # 0xC0
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"  # 0xD0
    "àáâãảăữẫèéêẻìíĩỉ"  # 0xE0
    "đựòóôõỏọụùúũủýợỮ"  # 0xF0
)

# TCVN 5712 VN1: the ABC (TCVN3) letters on 0xA1-0xFF, upper-case toned letters on C0 and
# 0x80-0x9F. "\0" marks a position that is not a letter (0xA0, and 0xB0-0xB4, which VN1 gives
# to combining tone marks that the .VnTime fonts do not use).
TCVN3_C0 = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ",
    0x12: "Ự", 0x13: "Ỳ", 0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ",
}  # fmt: skip
TCVN3_HIGH = (
    "ÀẢÃÁẠẶẬÈẺẼÉẸỆÌỈĨ"  # 0x80
    "ÍỊÒỎÕÓỌỘỜỞỠỚỢÙỦŨ"  # 0x90
    "\0ĂÂÊÔƠƯĐăâêôơưđẰ"  # 0xA0
    "\0\0\0\0\0àảãáạẲằẳẵắẴ"  # 0xB0
    "ẮẦẨẪẤỀặầẩẫấậèỂẻẽ"  # 0xC0
    "éẹềểễếệìỉỄẾỒĩíịò"  # 0xD0
    "Ổỏõóọồổỗốộờởỡớợù"  # 0xE0
    "ỖủũúụừửữứựỳỷỹýỵỐ"  # 0xF0
)

# VNI-Windows: sequences as they read in windows-1252 -> letter. Marks: huyền ø, sắc ù, hỏi û,
# ngã õ, nặng ï; â/ê/ô with â à á å ã ä; ă with ê è é ú ü ë; ơ ô, ư ö, đ ñ; i and ỵ are single.
VNI = {
    "aø": "à", "aù": "á", "aû": "ả", "aõ": "ã", "aï": "ạ",
    "AØ": "À", "AÙ": "Á", "AÛ": "Ả", "AÕ": "Ã", "AÏ": "Ạ",
    "aê": "ă", "aè": "ằ", "aé": "ắ", "aú": "ẳ", "aü": "ẵ", "aë": "ặ",
    "AÊ": "Ă", "AÈ": "Ằ", "AÉ": "Ắ", "AÚ": "Ẳ", "AÜ": "Ẵ", "AË": "Ặ",
    "aâ": "â", "aà": "ầ", "aá": "ấ", "aå": "ẩ", "aã": "ẫ", "aä": "ậ",
    "AÂ": "Â", "AÀ": "Ầ", "AÁ": "Ấ", "AÅ": "Ẩ", "AÃ": "Ẫ", "AÄ": "Ậ",
    "eø": "è", "eù": "é", "eû": "ẻ", "eõ": "ẽ", "eï": "ẹ",
    "EØ": "È", "EÙ": "É", "EÛ": "Ẻ", "EÕ": "Ẽ", "EÏ": "Ẹ",
    "eâ": "ê", "eà": "ề", "eá": "ế", "eå": "ể", "eã": "ễ", "eä": "ệ",
    "EÂ": "Ê", "EÀ": "Ề", "EÁ": "Ế", "EÅ": "Ể", "EÃ": "Ễ", "EÄ": "Ệ",
    "ì": "ì", "í": "í", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "Ì": "Ì", "Í": "Í", "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị",
    "oø": "ò", "où": "ó", "oû": "ỏ", "oõ": "õ", "oï": "ọ",
    "OØ": "Ò", "OÙ": "Ó", "OÛ": "Ỏ", "OÕ": "Õ", "OÏ": "Ọ",
    "oâ": "ô", "oà": "ồ", "oá": "ố", "oå": "ổ", "oã": "ỗ", "oä": "ộ",
    "OÂ": "Ô", "OÀ": "Ồ", "OÁ": "Ố", "OÅ": "Ổ", "OÃ": "Ỗ", "OÄ": "Ộ",
    "ô": "ơ", "ôø": "ờ", "ôù": "ớ", "ôû": "ở", "ôõ": "ỡ", "ôï": "ợ",
    "Ô": "Ơ", "ÔØ": "Ờ", "ÔÙ": "Ớ", "ÔÛ": "Ở", "ÔÕ": "Ỡ", "ÔÏ": "Ợ",
    "uø": "ù", "uù": "ú", "uû": "ủ", "uõ": "ũ", "uï": "ụ",
    "UØ": "Ù", "UÙ": "Ú", "UÛ": "Ủ", "UÕ": "Ũ", "UÏ": "Ụ",
    "ö": "ư", "öø": "ừ", "öù": "ứ", "öû": "ử", "öõ": "ữ", "öï": "ự",
    "Ö": "Ư", "ÖØ": "Ừ", "ÖÙ": "Ứ", "ÖÛ": "Ử", "ÖÕ": "Ữ", "ÖÏ": "Ự",
    "yø": "ỳ", "yù": "ý", "yû": "ỷ", "yõ": "ỹ", "î": "ỵ",
    "YØ": "Ỳ", "YÙ": "Ý", "YÛ": "Ỷ", "YÕ": "Ỹ", "Î": "Ỵ",
    "ñ": "đ", "Ñ": "Đ",
}  # fmt: skip

# Characters that legacy-font text is full of and Unicode Vietnamese never uses: the cheap test
# that decides whether a page is worth the full check. Left out because Unicode pages use them
# as signs and separators: © « » ® · × and the soft hyphen (TCVN3's â ô ằ đ ã ì ư).
TCVN3_TELLS = "¡¢£¤¥¦§¨ª¬µ¶¸¹¼½¾ÆÇÈËÎÏÑÖØÜÞßåæçëîïñö÷øûüþ"
VNI_TELLS = "öñæïøûäåëüîÖÑÆÏØÛÄÅËÜÎ"
# Font names (lower case) that, found in a page's CSS or markup, say which legacy font it uses.
FONTS = {
    "TCVN3": (".vntime", "vntimeh", ".vnarial", ".vnhelvetins", ".vncourier", "tcvn3"),
    "VNI": ("vni-times", "vni times", "vni-helve", "vni-aptima", "vni-windows"),
}
# UTF-8 lead bytes of Vietnamese letters as windows-1252 shows them ("Ã´", "Ä‘", "Æ°", "áº£").
MOJIBAKE_TELLS = r"Ã[\x80-\xbf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|Ä[\x80-\xbf‘’]|Æ[°¡¯ ]|á[º»]"

# Syllable = onset + rhyme (tones removed), as blank-separated lists for syllables.py's regex.
ONSETS = "ngh ng nh ch gh gi kh ph qu th tr b c d đ g h k l m n p r s t v x"
RHYMES = """
a ac ach ai am an ang anh ao ap at au ay ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt oc oe oem oen oeo
oet oi om on ong ooc oong op ot ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uân uâng uât uây uc uê uêch uênh ui um un ung uơ uôc uôi uôm uôn uông uôt up ut uy uya
uych uyên uyêt uynh uyt uyu ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêt yêu ych ynh yt
"""
# Frequent syllables of news text: a decoding that yields them is very likely right.
COMMON = """của và các là người được trong những đồng chí đảng tỉnh có cho với không này đã công tác
    một việt nhân dân năm ngày thực hiện nghị quyết cán bộ huyện xã về để theo tại đến từ trên
    ban hội đại biểu tổ chức phát triển kinh tế xã hội đời sống chính quyền vận động"""
