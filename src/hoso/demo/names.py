"""Vietnamese names for demo people: family name, middle name, given name.

Family names are weighted roughly by their share of the population (Nguyễn about
38 %, Trần 11 %, Lê 9.5 %, Phạm 7 % …); middle and given names depend on sex, the way
Vietnamese names do (Văn, Đức, Hữu for men; Thị, Ngọc, Thu for women). Data only.
"""

from __future__ import annotations

FAMILY: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.4), ("Trần", 11.0), ("Lê", 9.5), ("Phạm", 7.0), ("Hoàng", 4.1),
    ("Huỳnh", 1.9), ("Phan", 4.5), ("Vũ", 2.5), ("Võ", 1.9), ("Đặng", 2.1), ("Bùi", 2.0),
    ("Đỗ", 1.4), ("Hồ", 1.3), ("Ngô", 1.3), ("Dương", 1.0), ("Lý", 0.5), ("Đinh", 0.9),
    ("Trương", 0.8), ("Đào", 0.6), ("Đoàn", 0.6), ("Lương", 0.5), ("Mai", 0.5), ("Cao", 0.5),
    ("Lâm", 0.4), ("Phùng", 0.3), ("Tô", 0.3), ("Tạ", 0.3), ("Hà", 0.5), ("Chu", 0.2),
    ("Kiều", 0.2), ("Thái", 0.2), ("Quách", 0.2), ("Lưu", 0.3), ("Triệu", 0.2), ("La", 0.1),
    ("Văn", 0.2), ("Châu", 0.2), ("Nông", 0.1), ("Âu", 0.1), ("Khúc", 0.1),
)

MIDDLE: dict[str, tuple[tuple[str, float], ...]] = {
    "male": (
        ("Văn", 30), ("Đức", 8), ("Minh", 8), ("Quốc", 6), ("Hữu", 6), ("Công", 5),
        ("Thành", 4), ("Xuân", 4), ("Ngọc", 3), ("Quang", 5), ("Anh", 3), ("Đình", 5),
        ("Trọng", 4), ("Hoàng", 3), ("Tuấn", 2), ("Thanh", 4), ("Mạnh", 2), ("Viết", 1),
        ("Bá", 1), ("Duy", 3), ("Gia", 2), ("Nhật", 2), ("Tấn", 2), ("Trung", 2),
    ),
    "female": (
        ("Thị", 45), ("Ngọc", 8), ("Thu", 5), ("Thanh", 6), ("Minh", 3), ("Hồng", 4),
        ("Phương", 3), ("Kim", 4), ("Mai", 2), ("Bảo", 2), ("Khánh", 2), ("Diệu", 1),
        ("Thùy", 3), ("Hoài", 2), ("Quỳnh", 2), ("Bích", 2), ("Mỹ", 2), ("Tuyết", 1),
        ("Lan", 1), ("Hải", 1), ("Kiều", 1),
    ),
}

GIVEN: dict[str, tuple[str, ...]] = {
    "male": (
        "Anh", "Bình", "Cường", "Chiến", "Dũng", "Duy", "Dương", "Đạt", "Đức", "Giang",
        "Hải", "Hào", "Hậu", "Hiếu", "Hòa", "Hoàng", "Huy", "Hùng", "Hưng", "Khang", "Khánh",
        "Khoa", "Kiên", "Lâm", "Linh", "Long", "Lộc", "Lợi", "Luân", "Minh", "Nam", "Nghĩa",
        "Nhân", "Phát", "Phong", "Phú", "Phúc", "Phương", "Quang", "Quân", "Quý", "Sơn",
        "Tài", "Tâm", "Thắng", "Thành", "Thiện", "Thịnh", "Thông", "Toàn", "Trí", "Trung",
        "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Tiến", "Tú", "Bảo", "Công", "Định", "Hiệp",
        "Lực", "Mạnh", "Ninh", "Quyết", "Sang", "Thái", "Trọng", "Văn",
    ),
    "female": (
        "Anh", "Ánh", "Bích", "Chi", "Dung", "Diệp", "Duyên", "Giang", "Hà", "Hạnh", "Hằng",
        "Hiền", "Hoa", "Hồng", "Huệ", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Ly",
        "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhàn", "Nhi", "Nhung", "Oanh", "Phương", "Quyên",
        "Quỳnh", "Tâm", "Thảo", "Thanh", "Thắm", "Thoa", "Thu", "Thủy", "Thư", "Thương",
        "Trang", "Trâm", "Trinh", "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Hậu", "Lụa",
        "Nguyệt", "Phượng", "Sen", "Trà", "Hảo", "Lý",
    ),
}
