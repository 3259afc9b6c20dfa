#!/usr/bin/env python3
"""Generate the demo catalog's form templates (.docx) with the standard library only.

Usage: python3 scripts/make_demo_templates.py [OUTPUT_DIR]

OUTPUT_DIR defaults to Sources/MotCua/Resources/DemoCatalog/templates next to this script's repository.
The output is deterministic: every zip entry has a fixed timestamp, fixed attributes and is stored
uncompressed (so the bytes do not depend on the zlib build), and entries are written in a fixed order.
Running the script twice gives byte-identical files.
"""

import os
import sys
import zipfile
from xml.sax.saxutils import escape

FIXED_DATE = (1980, 1, 1, 0, 0, 0)

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
DOTS = "……………………………………………………………"
LONG_DOTS = "…………………………………………………………………………………………………"

# --- WordprocessingML helpers -------------------------------------------------------------------

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# A4 portrait, margins 2 cm / 3 cm left (Decree 30/2020/NĐ-CP layout of administrative documents).
TEXT_WIDTH = 9071  # twips between the margins: 11906 - 1701 - 1134


def run(text, bold=False, italic=False, size=None, underline=False):
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if size:
        props.append('<w:sz w:val="%d"/><w:szCs w:val="%d"/>' % (size * 2, size * 2))
    if underline:
        props.append('<w:u w:val="single"/>')
    rpr = "<w:rPr>%s</w:rPr>" % "".join(props) if props else ""
    return '<w:r>%s<w:t xml:space="preserve">%s</w:t></w:r>' % (rpr, escape(text))


def para(runs, align=None, space_after=60, indent_first=None, keep_next=False):
    if isinstance(runs, str):
        runs = [run(runs)]
    props = []
    if keep_next:
        props.append("<w:keepNext/>")
    props.append('<w:spacing w:before="0" w:after="%d"/>' % space_after)
    if indent_first:
        props.append('<w:ind w:firstLine="%d"/>' % indent_first)
    if align:
        props.append('<w:jc w:val="%s"/>' % align)
    return "<w:p><w:pPr>%s</w:pPr>%s</w:p>" % ("".join(props), "".join(runs))


def cell(paragraphs, width):
    if isinstance(paragraphs, str):
        paragraphs = [paragraphs]
    return '<w:tc><w:tcPr><w:tcW w:w="%d" w:type="dxa"/></w:tcPr>%s</w:tc>' % (width, "".join(paragraphs))


def table(rows, widths, borders=True):
    border = "single" if borders else "nil"
    borders_xml = "".join(
        '<w:%s w:val="%s" w:sz="4" w:space="0" w:color="000000"/>' % (side, border)
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    grid = "".join('<w:gridCol w:w="%d"/>' % w for w in widths)
    body = "".join("<w:tr>%s</w:tr>" % "".join(cell(c, w) for c, w in zip(row, widths)) for row in rows)
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="%d" w:type="dxa"/><w:tblBorders>%s</w:tblBorders>'
        '<w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>%s</w:tblGrid>%s</w:tbl>'
    ) % (sum(widths), borders_xml, grid, body)


def centered(text, bold=False, italic=False, size=None, space_after=0):
    return para([run(text, bold=bold, italic=italic, size=size)], align="center", space_after=space_after)


# --- Building blocks of a Vietnamese administrative form -----------------------------------------


def header_person():
    """National motto only: forms filled in by a citizen (đơn, phiếu, sơ yếu lý lịch)."""
    return [
        centered(MOTTO_1, bold=True, size=13),
        centered(MOTTO_2, bold=True, size=14, space_after=240),
    ]


def header_org(place="……………"):
    """Two columns: the issuing body (left) and the national motto (right), as in Decree 30/2020/NĐ-CP."""
    left = [
        centered("CƠ QUAN CHỦ QUẢN ……………", size=13),
        centered("TÊN CƠ QUAN, ĐƠN VỊ", bold=True, size=13),
        centered("Số: ……/……", size=13, space_after=0),
    ]
    right = [
        centered(MOTTO_1, bold=True, size=12),
        centered(MOTTO_2, bold=True, size=13),
        centered("%s, ngày …… tháng …… năm 20……" % place, italic=True, size=13),
    ]
    return [table([[left, right]], [3685, 5386], borders=False), para("", space_after=120)]


def title(lines, subtitle=None):
    out = []
    for i, line in enumerate(lines):
        out.append(centered(line, bold=True, size=14, space_after=0 if i < len(lines) - 1 else 60))
    if subtitle:
        out.append(centered(subtitle, italic=True, size=13, space_after=120))
    return out


def addressee(*names):
    if len(names) == 1:
        return [para([run("Kính gửi: ", italic=False), run(names[0])], align="center", space_after=120)]
    out = [para([run("Kính gửi:")], align="center", space_after=0)]
    for n in names:
        out.append(para([run("- " + n)], align="center", space_after=0))
    out.append(para("", space_after=60))
    return out


def fill(label, dots=DOTS):
    """A labelled blank line to fill in: "Họ và tên: ……"."""
    return para([run(label + ": "), run(dots)])


def fill_pair(label_a, label_b):
    return para([run(label_a + ": …………………………… "), run(label_b + ": ……………………………")])


def text(value, bold=False, italic=False, indent=True):
    return para([run(value, bold=bold, italic=italic)], align="both", indent_first=567 if indent else None)


def heading(value):
    return para([run(value, bold=True)], space_after=60, keep_next=True)


def grid(headers, rows=3):
    """A bordered table with a header row and `rows` empty rows."""
    width = TEXT_WIDTH // len(headers)
    widths = [width] * len(headers)
    widths[-1] += TEXT_WIDTH - sum(widths)
    head = [[centered(h, bold=True, size=11)] for h in headers]
    empty = [[para("", space_after=0)] for _ in headers]
    rows_xml = [head] + [
        [[centered(str(i + 1), size=11)]] + empty[1:] if headers[0] == "STT" else empty for i in range(rows)
    ]
    return [table(rows_xml, widths), para("", space_after=120)]


def signature(role, note="(Ký, ghi rõ họ tên)", left=None, left_note=None, date_line=False):
    right = []
    if date_line:
        right.append(centered("……………, ngày …… tháng …… năm 20……", italic=True, size=13))
    right += [
        centered(role, bold=True, size=13),
        centered(note, italic=True, size=13, space_after=1200),
        centered("……………………………", size=13),
    ]
    if left:
        left_cells = [
            centered("", size=13) if date_line else None,
            centered(left, bold=True, size=13),
            centered(left_note or "(Ký, ghi rõ họ tên)", italic=True, size=13),
        ]
        left_cells = [c for c in left_cells if c is not None]
    else:
        left_cells = [para("", space_after=0)]
    return [para("", space_after=120), table([[left_cells, right]], [4252, 4819], borders=False)]


def recipients(*lines):
    out = [para([run("Nơi nhận:", bold=True, italic=True, size=12)], space_after=0)]
    for line in lines:
        out.append(para([run("- " + line + ";", size=11)], space_after=0))
    out.append(para([run("- Lưu: VT.", size=11)], space_after=0))
    return out


def org_signature(role="THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", recipients_lines=("Như trên",)):
    right = [
        centered(role, bold=True, size=13),
        centered("(Ký tên, đóng dấu)", italic=True, size=13, space_after=1200),
        centered("……………………………", size=13),
    ]
    left = recipients(*recipients_lines)
    return [para("", space_after=120), table([[left, right]], [4252, 4819], borders=False)]


def form_note(value):
    return para([run(value, italic=True, size=12)], align="right", space_after=120)


# --- The templates ------------------------------------------------------------------------------


def phieu_dang_ky_du_tuyen(kind, decree):
    return (
        [form_note("Mẫu số 01 (ban hành kèm theo Nghị định số %s)" % decree)]
        + header_person()
        + title(["PHIẾU ĐĂNG KÝ DỰ TUYỂN %s" % kind.upper()])
        + [
            fill("Vị trí dự tuyển"),
            fill("Đơn vị dự tuyển"),
            heading("I. THÔNG TIN CÁ NHÂN"),
            fill("Họ và tên"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill_pair("Dân tộc", "Tôn giáo"),
            fill_pair("Số CCCD/Căn cước", "Ngày cấp"),
            fill("Nơi cấp"),
            fill_pair("Số điện thoại di động", "Email"),
            fill("Quê quán"),
            fill("Nơi thường trú"),
            fill("Chỗ ở hiện nay (để báo tin)"),
            fill_pair("Tình trạng sức khỏe", "Chiều cao, cân nặng"),
            fill_pair("Trình độ văn hóa", "Trình độ chuyên môn"),
            fill("Loại hình đào tạo"),
            heading("II. THÔNG TIN VỀ QUÁ TRÌNH ĐÀO TẠO"),
        ]
        + grid(["Ngày, tháng, năm cấp văn bằng, chứng chỉ", "Tên trường, cơ sở đào tạo cấp", "Trình độ văn bằng, chứng chỉ", "Số hiệu văn bằng, chứng chỉ", "Chuyên ngành đào tạo", "Ngành đào tạo", "Hình thức đào tạo", "Xếp loại"], rows=3)
        + [
            heading("III. THÔNG TIN VỀ QUÁ TRÌNH CÔNG TÁC (nếu có)"),
        ]
        + grid(["Từ ngày, tháng, năm đến ngày, tháng, năm", "Cơ quan, tổ chức, đơn vị công tác"], rows=3)
        + [
            heading("IV. MIỄN THI NGOẠI NGỮ (thí sinh thuộc diện miễn thi ngoại ngữ ghi rõ lý do)"),
            fill("Lý do miễn thi", LONG_DOTS),
            heading("V. ĐĂNG KÝ DỰ THI MÔN NGOẠI NGỮ"),
            fill("Đăng ký dự thi ngoại ngữ"),
            heading("VI. ĐỐI TƯỢNG ƯU TIÊN (nếu có)"),
            fill("Đối tượng ưu tiên", LONG_DOTS),
            text(
                "Tôi xin cam đoan những lời khai trên của tôi là đúng sự thật. Sau khi nhận được thông báo trúng "
                "tuyển tôi sẽ hoàn thiện đầy đủ hồ sơ dự tuyển theo quy định. Nếu sai sự thật thì kết quả tuyển "
                "dụng của tôi sẽ bị cơ quan có thẩm quyền tuyển dụng hủy bỏ, tôi sẽ chịu trách nhiệm trước pháp "
                "luật và cam kết không đăng ký tham gia kỳ tuyển dụng kế tiếp tại cơ quan tuyển dụng."
            ),
        ]
        + signature("NGƯỜI VIẾT PHIẾU", date_line=True)
        + [
            para([run("Ghi chú: ", bold=True, italic=True, size=12), run("Người đăng ký dự tuyển phải khai đầy đủ các nội dung yêu cầu trong Phiếu đăng ký dự tuyển. Nộp kèm theo Phiếu này 03 phong bì có dán tem ghi rõ họ tên, địa chỉ người nhận.", italic=True, size=12)], align="both")
        ]
    )


def so_yeu_ly_lich():
    return (
        [form_note("Mẫu 2C-BNV/2008")]
        + [
            fill("Cơ quan, đơn vị có thẩm quyền quản lý CBCC"),
            fill("Cơ quan, đơn vị sử dụng CBCC"),
        ]
        + header_person()
        + title(["SƠ YẾU LÝ LỊCH CÁN BỘ, CÔNG CHỨC"], "(Ảnh màu 4 x 6 cm dán tại góc trái)")
        + [
            fill("1) Họ và tên khai sinh (viết chữ in hoa)"),
            fill("2) Tên gọi khác"),
            fill_pair("3) Ngày, tháng, năm sinh", "Giới tính (nam, nữ)"),
            fill("4) Nơi sinh"),
            fill("5) Quê quán"),
            fill_pair("6) Dân tộc", "7) Tôn giáo"),
            fill("8) Nơi đăng ký thường trú"),
            fill("9) Nơi ở hiện nay"),
            fill("10) Nghề nghiệp khi được tuyển dụng"),
            fill_pair("11) Ngày tuyển dụng", "Cơ quan tuyển dụng"),
            fill("12) Chức vụ (chức danh) hiện tại"),
            fill("13) Công việc chính được giao"),
            fill_pair("14) Ngạch công chức (viên chức)", "Mã ngạch"),
            fill_pair("Bậc lương", "Hệ số"),
            fill_pair("Ngày hưởng", "Phụ cấp chức vụ"),
            fill("15.1) Trình độ giáo dục phổ thông (đã tốt nghiệp lớp mấy/thuộc hệ nào)"),
            fill("15.2) Trình độ chuyên môn cao nhất"),
            fill_pair("15.3) Lý luận chính trị", "15.4) Quản lý nhà nước"),
            fill_pair("15.5) Ngoại ngữ", "15.6) Tin học"),
            fill_pair("16) Ngày vào Đảng Cộng sản Việt Nam", "Ngày chính thức"),
            fill("17) Tình trạng sức khỏe, chiều cao, cân nặng, nhóm máu"),
            fill_pair("18) Số CCCD/Căn cước", "Số sổ BHXH"),
            heading("19) ĐÀO TẠO, BỒI DƯỠNG VỀ CHUYÊN MÔN, NGHIỆP VỤ, LÝ LUẬN CHÍNH TRỊ, NGOẠI NGỮ, TIN HỌC"),
        ]
        + grid(["Tên trường", "Chuyên ngành đào tạo, bồi dưỡng", "Từ tháng, năm - đến tháng, năm", "Hình thức đào tạo", "Văn bằng, chứng chỉ, trình độ gì"], rows=3)
        + [heading("20) TÓM TẮT QUÁ TRÌNH CÔNG TÁC")]
        + grid(["Từ tháng, năm đến tháng, năm", "Chức danh, chức vụ, đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội), kể cả thời gian được đào tạo, bồi dưỡng"], rows=4)
        + [
            heading("21) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CÁN BỘ, CÔNG CHỨC"),
            para(LONG_DOTS),
            para(LONG_DOTS),
        ]
        + signature(
            "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ QUẢN LÝ VÀ SỬ DỤNG CBCC",
            note="(Ký tên, đóng dấu)",
            left="NGƯỜI KHAI",
            left_note="Tôi xin cam đoan những lời khai trên đây là đúng sự thật (Ký tên, ghi rõ họ tên)",
            date_line=True,
        )
    )


def danh_sach_cu_du_thi():
    return (
        header_org()
        + title(
            ["DANH SÁCH CÔNG CHỨC, VIÊN CHỨC ĐỦ ĐIỀU KIỆN, TIÊU CHUẨN", "ĐƯỢC CỬ DỰ THI NÂNG NGẠCH, THĂNG HẠNG CHỨC DANH NGHỀ NGHIỆP"],
            "(Kèm theo Văn bản số ……/…… ngày …… tháng …… năm 20…… của ……………)",
        )
        + [fill("Kỳ thi (xét) nâng ngạch, thăng hạng lên ngạch, hạng"), fill("Năm tổ chức")]
        + grid(["STT", "Họ và tên", "Ngày sinh (Nam/Nữ)", "Chức vụ, đơn vị công tác", "Ngạch, chức danh hiện giữ (mã số)", "Hệ số lương, thời điểm hưởng", "Ngạch, hạng đăng ký dự thi", "Miễn thi ngoại ngữ, tin học (nếu có)", "Ghi chú"], rows=4)
        + [text("Cơ quan, đơn vị cam kết những công chức, viên chức có tên trong danh sách trên đáp ứng đủ tiêu chuẩn, điều kiện dự thi (xét) theo quy định và chịu trách nhiệm về tính chính xác của hồ sơ.")]
        + signature("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", note="(Ký tên, đóng dấu)", left="NGƯỜI LẬP BIỂU", date_line=True)
    )


def to_trinh_tiep_nhan():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Về việc đề nghị tiếp nhận vào làm công chức (viên chức)"])
        + addressee("Sở Nội vụ ……………")
        + [
            text("Căn cứ Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức (Nghị định số 115/2020/NĐ-CP ngày 25 tháng 9 năm 2020 của Chính phủ quy định về tuyển dụng, sử dụng và quản lý viên chức);", italic=True),
            text("Căn cứ vị trí việc làm và chỉ tiêu biên chế (số lượng người làm việc) được giao năm 20…… của cơ quan, đơn vị;", italic=True),
            text("…………… (tên cơ quan, đơn vị) đề nghị tiếp nhận vào làm công chức (viên chức) đối với trường hợp sau:"),
            fill("Họ và tên"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill("Trình độ chuyên môn, ngành đào tạo"),
            fill("Cơ quan, đơn vị đang công tác"),
            fill("Thời gian công tác có đóng bảo hiểm xã hội bắt buộc (năm)"),
            fill("Vị trí việc làm dự kiến bố trí"),
            fill("Ngạch công chức (chức danh nghề nghiệp) dự kiến bổ nhiệm"),
            heading("Lý do đề nghị tiếp nhận:"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            text("Kính đề nghị Sở Nội vụ xem xét, thẩm định và có ý kiến theo quy định./."),
        ]
        + org_signature(recipients_lines=("Như trên",))
    )


def to_trinh_phoi_hop_lien_nganh():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Về việc thành lập (điều chỉnh, bổ sung thành viên) tổ chức phối hợp liên ngành"])
        + addressee("Ủy ban nhân dân tỉnh (thành phố) ……………", "Sở Nội vụ ……………")
        + [
            text("Căn cứ Quyết định số 34/2007/QĐ-TTg ngày 12 tháng 3 năm 2007 của Thủ tướng Chính phủ ban hành Quy chế thành lập, tổ chức và hoạt động của tổ chức phối hợp liên ngành;", italic=True),
            fill("Tên tổ chức phối hợp liên ngành"),
            heading("1. Sự cần thiết thành lập (điều chỉnh, bổ sung thành viên)"),
            para(LONG_DOTS),
            heading("2. Nhiệm vụ, quyền hạn của tổ chức phối hợp liên ngành"),
            para(LONG_DOTS),
            heading("3. Thành phần, số lượng thành viên"),
        ]
        + grid(["STT", "Họ và tên", "Chức vụ, cơ quan công tác", "Chức danh trong tổ chức phối hợp liên ngành", "Ghi chú"], rows=4)
        + [
            heading("4. Cơ quan thường trực, thời hạn hoạt động, kinh phí hoạt động"),
            para(LONG_DOTS),
            text("Kính trình Ủy ban nhân dân tỉnh (thành phố) xem xét, quyết định./."),
        ]
        + org_signature(recipients_lines=("Như trên", "Các cơ quan có thành viên tham gia"))
    )


def to_trinh_don_vi_su_nghiep():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Về việc đề nghị thành lập (tổ chức lại, giải thể) đơn vị sự nghiệp công lập"])
        + addressee("Ủy ban nhân dân tỉnh ……………")
        + [
            text("Căn cứ Nghị định số 120/2020/NĐ-CP ngày 07 tháng 10 năm 2020 của Chính phủ quy định về thành lập, tổ chức lại, giải thể đơn vị sự nghiệp công lập;", italic=True),
            fill("Tên đơn vị sự nghiệp công lập"),
            fill("Hình thức (thành lập mới, hợp nhất, sáp nhập, chia, tách, giải thể)"),
            heading("1. Sự cần thiết và cơ sở pháp lý"),
            para(LONG_DOTS),
            heading("2. Tóm tắt nội dung đề án"),
            para(LONG_DOTS),
            heading("3. Ý kiến của các cơ quan có liên quan và việc tiếp thu, giải trình"),
            para(LONG_DOTS),
            heading("4. Phương án bố trí người làm việc, xử lý tài chính, tài sản (nếu có)"),
            para(LONG_DOTS),
            text("Kính trình Ủy ban nhân dân tỉnh xem xét, quyết định./."),
        ]
        + org_signature(recipients_lines=("Như trên", "Sở Nội vụ (để thẩm định)"))
    )


def de_an_don_vi_su_nghiep():
    sections = [
        "I. SỰ CẦN THIẾT VÀ CƠ SỞ PHÁP LÝ",
        "II. TÊN GỌI, TRỤ SỞ, VỊ TRÍ PHÁP LÝ CỦA ĐƠN VỊ",
        "III. CHỨC NĂNG, NHIỆM VỤ, QUYỀN HẠN",
        "IV. CƠ CẤU TỔ CHỨC, SỐ LƯỢNG NGƯỜI LÀM VIỆC, VỊ TRÍ VIỆC LÀM",
        "V. CƠ CHẾ HOẠT ĐỘNG, CƠ CHẾ TÀI CHÍNH, TÀI SẢN, ĐẤT ĐAI",
        "VI. LỘ TRÌNH, PHƯƠNG ÁN TỔ CHỨC THỰC HIỆN",
        "VII. KIẾN NGHỊ",
    ]
    body = []
    for s in sections:
        body += [heading(s), para(LONG_DOTS), para(LONG_DOTS)]
    return (
        header_org()
        + title(["ĐỀ ÁN", "Thành lập (tổ chức lại, giải thể) đơn vị sự nghiệp công lập"], "(Kèm theo Tờ trình số ……/TTr-…… ngày …… tháng …… năm 20……)")
        + [fill("Tên đơn vị sự nghiệp công lập"), fill("Cơ quan quản lý trực tiếp")]
        + body
        + org_signature(role="THỦ TRƯỞNG CƠ QUAN TRÌNH ĐỀ ÁN", recipients_lines=("UBND tỉnh", "Sở Nội vụ"))
    )


def bao_cao_dai_hoi_hoi():
    return (
        [
            table(
                [[
                    [centered("TÊN HỘI ……………", bold=True, size=13), centered("Số: ……/BC-……", size=13)],
                    [centered(MOTTO_1, bold=True, size=12), centered(MOTTO_2, bold=True, size=13), centered("……………, ngày …… tháng …… năm 20……", italic=True, size=13)],
                ]],
                [3685, 5386],
                borders=False,
            ),
            para("", space_after=120),
        ]
        + title(["BÁO CÁO", "Về việc tổ chức đại hội nhiệm kỳ (đại hội bất thường)"])
        + addressee("Sở Nội vụ ……………")
        + [
            text("Căn cứ Nghị định số 45/2010/NĐ-CP ngày 21 tháng 4 năm 2010 của Chính phủ quy định về tổ chức, hoạt động và quản lý hội; Nghị định số 33/2012/NĐ-CP ngày 13 tháng 4 năm 2012 sửa đổi, bổ sung một số điều của Nghị định số 45/2010/NĐ-CP;", italic=True),
            text("Căn cứ Điều lệ ……………, Ban Thường vụ (Ban Chấp hành) Hội báo cáo việc tổ chức đại hội như sau:"),
            fill("Loại đại hội (nhiệm kỳ lần thứ ……/bất thường)"),
            fill("Nhiệm kỳ"),
            fill("Thời gian dự kiến tổ chức đại hội"),
            fill("Địa điểm tổ chức đại hội"),
            fill("Số lượng đại biểu dự kiến"),
            heading("1. Nội dung đại hội (báo cáo tổng kết nhiệm kỳ, phương hướng, sửa đổi điều lệ, bầu cử…)"),
            para(LONG_DOTS),
            heading("2. Dự kiến nhân sự Ban Chấp hành, Ban Kiểm tra nhiệm kỳ mới"),
            para(LONG_DOTS),
            heading("3. Kinh phí tổ chức đại hội"),
            para(LONG_DOTS),
            text("Hội kính báo cáo Sở Nội vụ xem xét, hướng dẫn theo quy định./."),
        ]
        + org_signature(role="TM. BAN THƯỜNG VỤ\nCHỦ TỊCH", recipients_lines=("Như trên", "Cơ quan quản lý nhà nước về lĩnh vực hoạt động của hội"))
    )


def to_trinh_dieu_le_hoi():
    return (
        [
            table(
                [[
                    [centered("TÊN HỘI ……………", bold=True, size=13), centered("Số: ……/TTr-……", size=13)],
                    [centered(MOTTO_1, bold=True, size=12), centered(MOTTO_2, bold=True, size=13), centered("……………, ngày …… tháng …… năm 20……", italic=True, size=13)],
                ]],
                [3685, 5386],
                borders=False,
            ),
            para("", space_after=120),
        ]
        + title(["ĐƠN ĐỀ NGHỊ", "Phê duyệt điều lệ hội"])
        + addressee("Chủ tịch Ủy ban nhân dân tỉnh ……………", "Sở Nội vụ ……………")
        + [
            fill("Tên hội"),
            fill("Tên viết tắt, tên giao dịch bằng tiếng nước ngoài (nếu có)"),
            fill("Địa chỉ trụ sở"),
            fill_pair("Điện thoại", "Email"),
            fill("Phạm vi, lĩnh vực hoạt động"),
            fill("Số lượng hội viên"),
            fill("Đại hội thông qua điều lệ ngày"),
            text("Hội đã tổ chức đại hội và thông qua Điều lệ hội (kèm theo). Kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, phê duyệt Điều lệ hội theo quy định./."),
        ]
        + org_signature(role="TM. BAN CHẤP HÀNH\nCHỦ TỊCH", recipients_lines=("Như trên",))
    )


def danh_sach_nang_luong(title_lines, headers):
    return (
        header_org()
        + title(title_lines, "(Kèm theo Văn bản số ……/…… ngày …… tháng …… năm 20…… của ……………)")
        + [fill("Thời điểm đề nghị nâng lương (quý, năm)")]
        + grid(headers, rows=4)
        + [text("Cơ quan, đơn vị cam kết những trường hợp có tên trong danh sách trên đủ tiêu chuẩn, điều kiện theo quy định, không trong thời gian bị kỷ luật hoặc bị điều tra, truy tố, xét xử.")]
        + signature("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", note="(Ký tên, đóng dấu)", left="NGƯỜI LẬP BIỂU", date_line=True)
    )


def to_trinh_khen_thuong():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Đề nghị Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen về thành tích đột xuất"])
        + addressee("Chủ tịch Ủy ban nhân dân tỉnh ……………", "Sở Nội vụ (Ban Thi đua - Khen thưởng)")
        + [
            text("Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022; Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;", italic=True),
            text("…………… (tên cơ quan, đơn vị) đề nghị Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen về thành tích đột xuất cho:"),
        ]
        + grid(["STT", "Tên tập thể, họ tên cá nhân", "Chức vụ, đơn vị công tác", "Tóm tắt thành tích đột xuất", "Ghi chú"], rows=3)
        + [
            fill("Thời điểm, địa điểm lập thành tích"),
            text("(Có báo cáo tóm tắt thành tích đột xuất kèm theo)", italic=True),
            text("Kính đề nghị Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./."),
        ]
        + org_signature(recipients_lines=("Như trên",))
    )


def bao_cao_thanh_tich():
    return (
        header_org()
        + title(["BÁO CÁO TÓM TẮT THÀNH TÍCH ĐỘT XUẤT", "Đề nghị tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"])
        + [
            fill("Tên tập thể (hoặc họ và tên cá nhân)"),
            fill_pair("Ngày, tháng, năm sinh (cá nhân)", "Giới tính"),
            fill("Chức vụ, đơn vị công tác"),
            fill("Địa chỉ, điện thoại liên hệ"),
            heading("I. HOÀN CẢNH, THỜI GIAN, ĐỊA ĐIỂM LẬP THÀNH TÍCH"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            heading("II. THÀNH TÍCH ĐỘT XUẤT ĐẠT ĐƯỢC (hành động dũng cảm, sáng tạo, kết quả, tác dụng, ảnh hưởng)"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            para(LONG_DOTS),
        ]
        + signature("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ XÁC NHẬN", note="(Ký tên, đóng dấu)", left="NGƯỜI BÁO CÁO THÀNH TÍCH", date_line=True)
    )


def danh_sach_nghi_huu():
    return (
        header_org()
        + title(["DANH SÁCH CÁN BỘ, CÔNG CHỨC ĐỀ NGHỊ GIẢI QUYẾT NGHỈ HƯU"], "(Kèm theo Văn bản số ……/…… ngày …… tháng …… năm 20…… của ……………)")
        + grid(["STT", "Họ và tên", "Ngày, tháng, năm sinh", "Nam/Nữ", "Chức vụ, đơn vị công tác", "Ngạch, bậc, hệ số lương, phụ cấp", "Số năm đóng BHXH", "Thời điểm nghỉ hưu", "Ghi chú"], rows=4)
        + [text("Cơ quan, đơn vị đã thông báo bằng văn bản về thời điểm nghỉ hưu cho các cán bộ, công chức có tên trên trước 06 tháng theo quy định.")]
        + signature("THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", note="(Ký tên, đóng dấu)", left="NGƯỜI LẬP BIỂU", date_line=True)
    )


def don_xin_thoi_viec():
    return (
        header_person()
        + title(["ĐƠN XIN THÔI VIỆC"])
        + addressee("Thủ trưởng cơ quan, đơn vị ……………", "Sở Nội vụ ……………")
        + [
            fill("Tôi tên là"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill_pair("Số CCCD/Căn cước", "Số điện thoại"),
            fill("Chức vụ, chức danh"),
            fill_pair("Ngạch (chức danh nghề nghiệp)", "Bậc, hệ số lương"),
            fill("Cơ quan, đơn vị công tác"),
            fill("Thời gian công tác (từ ngày …… đến nay)"),
            fill("Nay tôi làm đơn này xin được thôi việc kể từ ngày"),
            heading("Lý do xin thôi việc:"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            text("Tôi xin cam kết bàn giao đầy đủ hồ sơ, tài liệu, công việc đang đảm nhận và hoàn trả kinh phí đào tạo, bồi dưỡng (nếu có) theo quy định trước khi nghỉ việc. Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết./."),
        ]
        + signature("NGƯỜI LÀM ĐƠN", left="Ý KIẾN CỦA THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", left_note="(Ký tên, đóng dấu)", date_line=True)
    )


def don_chung_chi_luu_tru():
    return (
        [form_note("Ban hành kèm theo Thông tư số 09/2014/TT-BNV")]
        + header_person()
        + title(["ĐƠN ĐỀ NGHỊ", "Cấp (cấp lại) chứng chỉ hành nghề lưu trữ"])
        + addressee("Giám đốc Sở Nội vụ ……………")
        + [
            fill("Họ và tên"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill("Nơi sinh"),
            fill_pair("Số CCCD/Căn cước", "Ngày cấp"),
            fill("Nơi cấp"),
            fill("Địa chỉ thường trú"),
            fill_pair("Điện thoại", "Email"),
            fill("Trình độ chuyên môn (văn bằng, chuyên ngành, cơ sở đào tạo, năm tốt nghiệp)"),
            fill("Thời gian làm việc thực tế trong lĩnh vực lưu trữ (số năm, nơi làm việc)"),
            fill("Số chứng chỉ đã được cấp (trường hợp đề nghị cấp lại)"),
            fill("Lý do đề nghị cấp lại (bị mất, bị hư hỏng, thay đổi thông tin…)"),
            text("Tôi xin cam đoan những nội dung kê khai trên là đúng sự thật và chấp hành nghiêm chỉnh các quy định của pháp luật về lưu trữ, chịu trách nhiệm trước pháp luật về hoạt động hành nghề của mình."),
            heading("Hồ sơ gửi kèm:"),
            para("- Sơ yếu lý lịch có xác nhận của cơ quan quản lý hoặc Ủy ban nhân dân cấp xã nơi cư trú;"),
            para("- Bản sao văn bằng, chứng chỉ chuyên môn có chứng thực;"),
            para("- Giấy xác nhận thời gian làm việc thực tế trong lĩnh vực lưu trữ;"),
            para("- 02 ảnh màu cỡ 2 x 3 cm chụp trong thời gian không quá 06 tháng."),
        ]
        + signature("NGƯỜI LÀM ĐƠN", date_line=True)
    )


def to_trinh_thon_moi():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Về việc thành lập thôn mới (tổ dân phố mới)"])
        + addressee("Ủy ban nhân dân huyện (thành phố) ……………")
        + [
            text("Căn cứ Thông tư số 04/2012/TT-BNV ngày 31 tháng 8 năm 2012 của Bộ trưởng Bộ Nội vụ hướng dẫn về tổ chức và hoạt động của thôn, tổ dân phố; Thông tư số 14/2018/TT-BNV ngày 03 tháng 12 năm 2018 sửa đổi, bổ sung một số điều của Thông tư số 04/2012/TT-BNV;", italic=True),
            fill("Tên thôn (tổ dân phố) dự kiến thành lập"),
            fill("Thuộc xã (phường, thị trấn)"),
            heading("1. Sự cần thiết thành lập"),
            para(LONG_DOTS),
            heading("2. Vị trí địa lý, ranh giới (có sơ đồ kèm theo)"),
            para(LONG_DOTS),
            fill("3. Diện tích tự nhiên (ha)"),
            fill("4. Số hộ gia đình, số nhân khẩu"),
            heading("5. Cơ sở hạ tầng, nhà văn hóa, đề xuất nguồn lực"),
            para(LONG_DOTS),
            heading("6. Kết quả lấy ý kiến cử tri (tỷ lệ hộ gia đình đồng ý)"),
            para(LONG_DOTS),
            text("Kính trình Ủy ban nhân dân huyện (thành phố) xem xét, đề nghị Sở Nội vụ thẩm định, trình Ủy ban nhân dân tỉnh theo quy định./."),
        ]
        + org_signature(role="TM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH", recipients_lines=("Như trên", "Thường trực HĐND xã"))
    )


def to_trinh_huy_quyet_dinh():
    return (
        header_org()
        + title(["TỜ TRÌNH", "Về việc đề nghị hủy bỏ quyết định tuyển dụng"])
        + addressee("Sở Nội vụ ……………")
        + [
            text("Căn cứ Luật Cán bộ, công chức ngày 13 tháng 11 năm 2008; Luật sửa đổi, bổ sung một số điều của Luật Cán bộ, công chức và Luật Viên chức ngày 25 tháng 11 năm 2019;", italic=True),
            text("Căn cứ Nghị định số 138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ quy định về tuyển dụng, sử dụng và quản lý công chức;", italic=True),
            fill("Họ và tên người được tuyển dụng"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill("Quyết định tuyển dụng số, ngày, cơ quan ban hành"),
            fill("Vị trí việc làm, cơ quan được phân công công tác"),
            fill("Thời hạn phải đến nhận việc theo quyết định"),
            heading("Lý do đề nghị hủy bỏ quyết định tuyển dụng:"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            text("Kính đề nghị Sở Nội vụ xem xét, quyết định (trình cấp có thẩm quyền quyết định) hủy bỏ quyết định tuyển dụng nêu trên./."),
        ]
        + org_signature(recipients_lines=("Như trên", "Người có tên trên"))
    )


def bao_cao_tap_su():
    return (
        header_person()
        + title(["BẢN TỰ NHẬN XÉT, ĐÁNH GIÁ", "Kết quả thực hiện chế độ tập sự"])
        + [
            fill("Họ và tên"),
            fill_pair("Ngày, tháng, năm sinh", "Nam/Nữ"),
            fill("Cơ quan, đơn vị công tác"),
            fill("Vị trí việc làm, ngạch công chức tập sự"),
            fill("Quyết định tuyển dụng số, ngày"),
            fill("Thời gian tập sự (từ ngày …… đến ngày ……)"),
            fill("Họ tên, chức vụ người hướng dẫn tập sự"),
            heading("1. Chấp hành chủ trương, đường lối, chính sách của Đảng, pháp luật của Nhà nước"),
            para(LONG_DOTS),
            heading("2. Kết quả thực hiện nhiệm vụ được giao trong thời gian tập sự"),
            para(LONG_DOTS),
            para(LONG_DOTS),
            heading("3. Phẩm chất chính trị, đạo đức, tác phong, lề lối làm việc"),
            para(LONG_DOTS),
            heading("4. Tự đánh giá, xếp loại (đạt/không đạt yêu cầu)"),
            para(LONG_DOTS),
            heading("NHẬN XÉT CỦA NGƯỜI HƯỚNG DẪN TẬP SỰ"),
            para(LONG_DOTS),
            para(LONG_DOTS),
        ]
        + signature("NGƯỜI TẬP SỰ", left="NGƯỜI HƯỚNG DẪN TẬP SỰ", date_line=True)
    )


TEMPLATES = {
    "phieu-dang-ky-du-tuyen-cong-chuc.docx": lambda: phieu_dang_ky_du_tuyen("công chức", "138/2020/NĐ-CP ngày 27 tháng 11 năm 2020 của Chính phủ"),
    "phieu-dang-ky-du-tuyen-vien-chuc.docx": lambda: phieu_dang_ky_du_tuyen("viên chức", "115/2020/NĐ-CP ngày 25 tháng 9 năm 2020 của Chính phủ"),
    "so-yeu-ly-lich-2c.docx": so_yeu_ly_lich,
    "danh-sach-cu-du-thi-nang-ngach-thang-hang.docx": danh_sach_cu_du_thi,
    "to-trinh-tiep-nhan-cong-chuc-vien-chuc.docx": to_trinh_tiep_nhan,
    "to-trinh-to-chuc-phoi-hop-lien-nganh.docx": to_trinh_phoi_hop_lien_nganh,
    "to-trinh-don-vi-su-nghiep-cong-lap.docx": to_trinh_don_vi_su_nghiep,
    "de-an-don-vi-su-nghiep-cong-lap.docx": de_an_don_vi_su_nghiep,
    "bao-cao-to-chuc-dai-hoi-hoi.docx": bao_cao_dai_hoi_hoi,
    "don-de-nghi-phe-duyet-dieu-le-hoi.docx": to_trinh_dieu_le_hoi,
    "danh-sach-nang-bac-luong-thuong-xuyen.docx": lambda: danh_sach_nang_luong(
        ["DANH SÁCH ĐỀ NGHỊ NÂNG BẬC LƯƠNG THƯỜNG XUYÊN,", "NÂNG PHỤ CẤP THÂM NIÊN VƯỢT KHUNG"],
        ["STT", "Họ và tên", "Ngày sinh", "Chức vụ, đơn vị công tác", "Ngạch (mã ngạch)", "Bậc, hệ số lương (% TNVK) hiện hưởng", "Thời điểm hưởng", "Bậc, hệ số lương (% TNVK) đề nghị", "Thời điểm tính hưởng mới", "Ghi chú"],
    ),
    "danh-sach-nang-bac-luong-truoc-thoi-han.docx": lambda: danh_sach_nang_luong(
        ["DANH SÁCH ĐỀ NGHỊ NÂNG BẬC LƯƠNG TRƯỚC THỜI HẠN"],
        ["STT", "Họ và tên", "Chức vụ, đơn vị công tác", "Ngạch (mã ngạch)", "Bậc, hệ số lương hiện hưởng, thời điểm hưởng", "Bậc, hệ số lương đề nghị", "Thời gian được rút ngắn (tháng)", "Thành tích (hình thức khen thưởng, số quyết định) hoặc thông báo nghỉ hưu", "Ghi chú"],
    ),
    "danh-sach-nang-bac-luong-nguoi-quan-ly-doanh-nghiep.docx": lambda: danh_sach_nang_luong(
        ["DANH SÁCH ĐỀ NGHỊ NÂNG BẬC LƯƠNG THƯỜNG XUYÊN", "ĐỐI VỚI NGƯỜI QUẢN LÝ DOANH NGHIỆP"],
        ["STT", "Họ và tên", "Chức danh quản lý", "Hạng doanh nghiệp", "Bậc, hệ số lương hiện hưởng", "Thời điểm hưởng", "Bậc, hệ số lương đề nghị", "Thời điểm tính hưởng mới", "Ghi chú"],
    ),
    "to-trinh-khen-thuong-dot-xuat.docx": to_trinh_khen_thuong,
    "bao-cao-thanh-tich-dot-xuat.docx": bao_cao_thanh_tich,
    "danh-sach-nghi-huu.docx": danh_sach_nghi_huu,
    "don-xin-thoi-viec.docx": don_xin_thoi_viec,
    "don-de-nghi-cap-chung-chi-hanh-nghe-luu-tru.docx": don_chung_chi_luu_tru,
    "to-trinh-thanh-lap-thon-to-dan-pho.docx": to_trinh_thon_moi,
    "to-trinh-huy-bo-quyet-dinh-tuyen-dung.docx": to_trinh_huy_quyet_dinh,
    "bao-cao-ket-qua-tap-su.docx": bao_cao_tap_su,
}

# --- Package parts ------------------------------------------------------------------------------

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    "</Types>"
)

ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    "</Relationships>"
)

DOCUMENT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/>'
    "</Relationships>"
)

STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:styles xmlns:w="%s">'
    "<w:docDefaults>"
    '<w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" '
    'w:eastAsia="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="26"/><w:szCs w:val="26"/>'
    '<w:lang w:val="vi-VN" w:eastAsia="en-US" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
    '<w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault>'
    "</w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>"
) % W_NS


def document_xml(blocks):
    body = "".join(blocks)
    # Role lines such as "TM. BAN THƯỜNG VỤ\nCHỦ TỊCH" become a line break inside one run.
    body = body.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    sect = (
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/>'
        "</w:sectPr>"
    )
    # Word expects the body to end with a paragraph, not a table.
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<w:document xmlns:w="%s" xmlns:r="%s"><w:body>%s%s%s</w:body></w:document>'
    ) % (W_NS, R_NS, body, para("", space_after=0), sect)


def write_docx(path, blocks):
    parts = [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", ROOT_RELS),
        ("word/document.xml", document_xml(blocks)),
        ("word/_rels/document.xml.rels", DOCUMENT_RELS),
        ("word/styles.xml", STYLES),
    ]
    tmp = path + ".tmp"
    with zipfile.ZipFile(tmp, "w") as zf:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 0
            info.external_attr = 0
            zf.writestr(info, data.encode("utf-8"))
    os.replace(tmp, path)


def main(argv):
    here = os.path.dirname(os.path.abspath(__file__))
    default = os.path.join(here, "..", "Sources", "MotCua", "Resources", "DemoCatalog", "templates")
    out_dir = os.path.normpath(argv[1] if len(argv) > 1 else default)
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(TEMPLATES):
        write_docx(os.path.join(out_dir, name), TEMPLATES[name]())
        print(os.path.join(out_dir, name))


if __name__ == "__main__":
    main(sys.argv)
