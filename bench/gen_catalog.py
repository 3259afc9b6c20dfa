#!/usr/bin/env python3
"""Writes a synthetic catalog (docs/catalog-format.md, formatVersion 1) for the catalog benchmark.

    python3 bench/gen_catalog.py N OUTFILE

One extra agency (000.00.99.H99), five fields of its own, N procedures with Vietnamese names built from
word pools, so that common search terms ("công chức", "viên chức", "nâng bậc lương", "hội") match many
procedures. Deterministic: the same N gives the same file.
"""
import json
import random
import sys
import unicodedata

AGENCY_CODE = "000.00.99.H99"
AGENCY = {
    "code": AGENCY_CODE,
    "name": "Sở Nội vụ tỉnh Thử Nghiệm",
    "province": "Thử Nghiệm",
    "address": "Số 1 đường Thử Nghiệm, phường Trung Tâm, tỉnh Thử Nghiệm",
    "phone": "0200 3000 000",
    "email": "sonoivu@thunghiem.gov.vn",
}

FIELDS = [
    {"code": "tn-cong-chuc-vien-chuc", "name": "Công chức, viên chức (thử nghiệm)"},
    {"code": "tn-to-chuc-hoi", "name": "Tổ chức hội, quỹ xã hội (thử nghiệm)"},
    {"code": "tn-tien-luong", "name": "Tiền lương, nâng bậc lương (thử nghiệm)"},
    {"code": "tn-thi-dua-khen-thuong", "name": "Thi đua, khen thưởng (thử nghiệm)"},
    {"code": "tn-van-thu-luu-tru", "name": "Văn thư, lưu trữ (thử nghiệm)"},
]

# (field index, action, object) — the object pools carry the common terms.
ACTIONS = [
    (0, ["thi tuyển", "xét tuyển", "tiếp nhận", "điều động", "bổ nhiệm", "chuyển ngạch", "thăng hạng"],
     ["công chức", "viên chức", "công chức cấp xã", "viên chức sự nghiệp giáo dục", "công chức dự bị"]),
    (1, ["thành lập", "công nhận điều lệ", "đổi tên", "giải thể", "chia, tách, sáp nhập", "phê duyệt"],
     ["hội", "hội đặc thù", "quỹ xã hội", "quỹ từ thiện", "hội nghề nghiệp"]),
    (2, ["nâng bậc lương", "nâng bậc lương trước thời hạn", "xếp lương", "chuyển xếp lương", "điều chỉnh phụ cấp"],
     ["đối với công chức", "đối với viên chức", "cho người lao động", "cho cán bộ cấp xã"]),
    (3, ["xét tặng", "đề nghị tặng", "công nhận", "khen thưởng"],
     ["danh hiệu chiến sĩ thi đua", "bằng khen", "giấy khen cho công chức", "danh hiệu lao động tiên tiến"]),
    (4, ["cấp", "cấp lại", "khai thác", "số hóa"],
     ["chứng chỉ hành nghề lưu trữ", "bản sao tài liệu lưu trữ", "hồ sơ viên chức", "tài liệu lưu trữ của hội"]),
]
RANKS = ["ngạch chuyên viên", "ngạch chuyên viên chính", "ngạch cán sự", "hạng III", "hạng II"]
PLACES = ["cấp tỉnh", "cấp huyện", "cấp xã", "trong cơ quan hành chính", "tại đơn vị sự nghiệp công lập"]
QUALIFIERS = [RANKS, PLACES, RANKS + PLACES, PLACES, PLACES]  # by field index
DOCUMENTS = [
    "Đơn đề nghị (Mẫu số 01)", "Phiếu đăng ký dự tuyển", "Bản sơ yếu lý lịch tự thuật",
    "Bản sao văn bằng, chứng chỉ", "Giấy chứng nhận sức khỏe", "Quyết định tuyển dụng",
    "Bản nhận xét, đánh giá của cơ quan", "Dự thảo điều lệ hội", "Danh sách ban vận động thành lập hội",
    "Văn bản đồng ý của cơ quan quản lý", "Bảng kê quá trình công tác", "Báo cáo thành tích",
]
LEGAL = [  # by field index
    [("Nghị định số 138/2020/NĐ-CP", "Quy định về tuyển dụng, sử dụng và quản lý công chức", "2020-11-27"),
     ("Nghị định số 115/2020/NĐ-CP", "Quy định về tuyển dụng, sử dụng và quản lý viên chức", "2020-09-25")],
    [("Nghị định số 45/2010/NĐ-CP", "Quy định về tổ chức, hoạt động và quản lý hội", "2010-04-21")],
    [("Nghị định số 204/2004/NĐ-CP", "Về chế độ tiền lương đối với cán bộ, công chức, viên chức", "2004-12-14")],
    [("Luật Thi đua, khen thưởng số 06/2022/QH15", "Luật Thi đua, khen thưởng", "2022-06-15")],
    [("Luật Lưu trữ số 33/2024/QH15", "Luật Lưu trữ", "2024-06-21")],
]
FORMATS = [["pdf"], ["pdf", "jpg"], ["pdf", "jpg", "png"], ["jpg", "png"]]
APPLICANTS = [["individual"], ["organization"], ["individual", "organization"]]
DELIVERY = [["online"], ["online", "desk"], ["online", "desk", "post"], ["desk", "post"]]


def nfc(value):
    """NFC-normalises every string in a JSON-like value."""
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [nfc(v) for v in value]
    if isinstance(value, dict):
        return {k: nfc(v) for k, v in value.items()}
    return value


def process(days):
    """The timed steps: the desk receives and returns (0.5 day each), a leader approves, the rest is processing."""
    leader = 1 if days < 10 else 2
    return [
        {"name": "Tiếp nhận, kiểm tra hồ sơ", "unit": "Bộ phận tiếp nhận và trả kết quả", "role": "receptionist", "days": 0.5},
        {"name": "Thẩm định hồ sơ, dự thảo kết quả", "unit": "Phòng Công chức, viên chức", "role": "processor",
         "days": days - 1 - leader},
        {"name": "Lãnh đạo Sở xem xét, phê duyệt", "unit": "Lãnh đạo Sở", "role": "leader", "days": leader},
        {"name": "Trả kết quả", "unit": "Bộ phận tiếp nhận và trả kết quả", "role": "receptionist", "days": 0.5},
    ]


def procedure(i, rng):
    field_index, actions, objects = rng.choice(ACTIONS)
    action, obj = rng.choice(actions), rng.choice(objects)
    qualifier = rng.choice(QUALIFIERS[field_index])
    name = f"Thủ tục {action} {obj} {qualifier} số {i}"
    docs = rng.sample(DOCUMENTS, rng.randint(2, 4))
    legal = rng.choice(LEGAL[field_index])
    fees = [] if rng.random() < 0.6 else [{"description": "Lệ phí", "amount": 100000}]
    online = rng.choice(["full", "partial"])
    return {
        "code": f"9.{i:06d}",
        "name": name,
        "agencyCode": AGENCY_CODE,
        "fieldCode": FIELDS[field_index]["code"],
        "description": f"Giải quyết việc {action} {obj} {qualifier} tại Sở Nội vụ tỉnh Thử Nghiệm.",
        "onlineLevel": online,
        "legacyLevel": 4 if online == "full" else 3,
        "onlineOnly": rng.random() < 0.2,
        "applicantTypes": rng.choice(APPLICANTS),
        "processingDays": (days := rng.choice([3, 5, 7, 10, 15, 20, 30])),
        "fees": fees,
        "steps": [
            "Bước 1: Tổ chức, cá nhân nộp hồ sơ trực tuyến hoặc tại Bộ phận Một cửa.",
            "Bước 2: Cơ quan có thẩm quyền thẩm định hồ sơ và trả kết quả.",
        ],
        "process": process(days),
        "requirements": "Hồ sơ đầy đủ, hợp lệ theo quy định.",
        "resultName": f"Quyết định {action} {obj}",
        "legalBasis": [{"reference": legal[0], "title": legal[1], "issuedOn": legal[2]}],
        "requiredDocuments": [
            {
                "name": d,
                "originals": (originals := rng.randint(0, 1)),
                "copies": rng.randint(0 if originals else 1, 2),
                "mandatory": rng.random() < 0.8,
                "formats": rng.choice(FORMATS),
            }
            for d in docs
        ],
        "formTemplates": [],
        "resultDelivery": rng.choice(DELIVERY),
    }


def main(argv):
    if len(argv) != 3 or not argv[1].isdigit() or int(argv[1]) < 1:
        sys.exit(f"usage: {argv[0]} N OUTFILE   (N >= 1 procedures)")
    n, out = int(argv[1]), argv[2]
    random.seed(42)
    rng = random.Random(42)
    catalog = {
        "formatVersion": 1,
        "agencies": [AGENCY],
        "fields": FIELDS,
        "procedures": [procedure(i, rng) for i in range(n)],
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(nfc(catalog), f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {n} procedures to {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
