"""WeGO's reference data, from the public text in shared/reference/wego-about.txt.

The 50 founding members (as the statutes list them) and the current Executive
Committee cities that are not among them. Every one is a local government
(city, province, prefecture, state or department). Coordinates are those of
the city, or of the seat of the provincial or departmental government.
"""

from django.utils.translation import gettext_noop

FULL_MEMBER = "full-member"

# (slug, name, for organisations of kind, carries the GA vote, description). The
# names and descriptions are marked for the catalogs, which give the loader
# their words in every language (members.languages.fill_translations).
CATEGORIES = [
    (
        FULL_MEMBER,
        gettext_noop("Full Member"),
        "local_government",
        True,
        gettext_noop("Local governments. Each full member city has one vote in the General Assembly."),
    ),
    (
        "associate-member",
        gettext_noop("Associate Member"),
        "local_government",
        False,
        gettext_noop("Local governments taking part in WeGO's work without a vote in the General Assembly."),
    ),
    (
        "industry-member",
        gettext_noop("Industry Member"),
        "provider",
        False,
        gettext_noop("Smart tech solution providers. Non-voting."),
    ),
    (
        "institutional-member",
        gettext_noop("Institutional Member"),
        "institution",
        False,
        gettext_noop("Institutions: universities, research centres, international organisations. Non-voting."),
    ),
]

# (name, ISO country, latitude, longitude)
FOUNDING_MEMBERS = [
    ("Abu Dhabi", "AE", "24.45390", "54.37730"),
    ("Addis Ababa", "ET", "9.03000", "38.74000"),
    ("Agra", "IN", "27.17670", "78.00810"),
    ("Amsterdam", "NL", "52.36760", "4.90410"),
    ("Baku", "AZ", "40.40930", "49.86710"),
    ("Bangkok", "TH", "13.75630", "100.50180"),
    ("Barcelona", "ES", "41.38740", "2.16860"),
    ("Batam", "ID", "1.04560", "104.03050"),
    ("Berlin", "DE", "52.52000", "13.40500"),
    ("Birmingham", "GB", "52.48620", "-1.89040"),
    ("Bucharest", "RO", "44.42680", "26.10250"),
    ("Caracas", "VE", "10.48060", "-66.90360"),
    ("Chengdu", "CN", "30.57280", "104.06680"),
    ("Dakar", "SN", "14.71670", "-17.46770"),
    ("Dar es Salaam", "TZ", "-6.79240", "39.20830"),
    ("Dhaka", "BD", "23.81030", "90.41250"),
    ("Edmonton", "CA", "53.54610", "-113.49380"),
    ("Frankfurt", "DE", "50.11090", "8.68210"),
    ("Harare", "ZW", "-17.82520", "31.03350"),
    ("Helsinki", "FI", "60.16990", "24.93840"),
    ("Hong Kong", "HK", "22.31930", "114.16940"),
    ("Hunan Province", "CN", "28.22820", "112.93880"),
    ("Jakarta", "ID", "-6.20880", "106.84560"),
    ("Kathmandu", "NP", "27.71720", "85.32400"),
    ("Khartoum State", "SD", "15.50070", "32.55990"),
    ("La Manche", "FR", "49.11570", "-1.09060"),
    ("Lisbon", "PT", "38.72230", "-9.13930"),
    ("Manila", "PH", "14.59950", "120.98420"),
    ("Mexico City", "MX", "19.43260", "-99.13320"),
    ("Minsk", "BY", "53.90060", "27.55900"),
    ("Mosman", "AU", "-33.82900", "151.24400"),
    ("Muscat", "OM", "23.58800", "58.38290"),
    ("Nairobi", "KE", "-1.29210", "36.82190"),
    ("Nanjing", "CN", "32.06030", "118.79690"),
    ("Ningbo", "CN", "29.86830", "121.54400"),
    ("Nur-Sultan", "KZ", "51.16940", "71.44910"),
    ("Paris", "FR", "48.85660", "2.35220"),
    ("Quezon City", "PH", "14.67600", "121.04370"),
    ("Saga Prefecture", "JP", "33.24940", "130.29880"),
    ("San Francisco", "US", "37.77490", "-122.41940"),
    ("São Paulo", "BR", "-23.55050", "-46.63330"),
    ("Seoul", "KR", "37.56650", "126.97800"),
    ("Suva", "FJ", "-18.12480", "178.45010"),
    ("Tashkent", "UZ", "41.29950", "69.24010"),
    ("Thua Thien Hue", "VN", "16.46370", "107.59090"),
    ("Tel Aviv", "IL", "32.08530", "34.78180"),
    ("Tunis", "TN", "36.80650", "10.18150"),
    ("Ulaanbaatar", "MN", "47.88640", "106.90570"),
    ("Vladivostok", "RU", "43.11980", "131.88690"),
    ("Zhejiang Province", "CN", "30.27410", "120.15510"),
]

# Executive Committee member cities that are not founding members.
OTHER_EXCOM_MEMBERS = [
    ("Almaty", "KZ", "43.22200", "76.85120"),
    ("Abuja", "NG", "9.07650", "7.39860"),
    ("Cuenca", "EC", "-2.90010", "-79.00590"),
    ("Hebron", "PS", "31.53260", "35.09980"),
    ("Kampala", "UG", "0.34760", "32.58250"),
    ("Makati", "PH", "14.55470", "121.02440"),
    ("Maputo", "MZ", "-25.96920", "32.57320"),
    ("Ramgram", "NP", "27.51100", "83.64200"),
    ("Seberang Perai", "MY", "5.38330", "100.38330"),
    ("Wellington", "NZ", "-41.28660", "174.77560"),
]

# Other names the directory's search finds a member by: its name in its own
# script, and common other spellings, where well known. The secretariat adds
# more in the admin; the loader fills only what is still empty.
OTHER_NAMES = {
    "Abu Dhabi": ["أبوظبي"],
    "Addis Ababa": ["አዲስ አበባ", "Addis Abeba"],
    "Agra": ["आगरा"],
    "Almaty": ["Алматы", "Alma-Ata"],
    "Baku": ["Bakı", "Баку"],
    "Bangkok": ["กรุงเทพมหานคร", "Krung Thep"],
    "Bucharest": ["București", "Bucarest"],
    "Chengdu": ["成都"],
    "Dhaka": ["ঢাকা", "Dacca"],
    "Frankfurt": ["Frankfurt am Main", "Francfort"],
    "Hebron": ["الخليل", "Al-Khalil"],
    "Helsinki": ["Helsingfors"],
    "Hong Kong": ["香港"],
    "Hunan Province": ["湖南省", "Hunan"],
    "Kathmandu": ["काठमाडौं"],
    "Khartoum State": ["ولاية الخرطوم", "Khartoum"],
    "La Manche": ["Manche"],
    "Lisbon": ["Lisboa", "Lisbonne"],
    "Mexico City": ["Ciudad de México", "Mexico"],
    "Minsk": ["Мінск", "Минск"],
    "Muscat": ["مسقط", "Mascate"],
    "Nanjing": ["南京", "Nankin"],
    "Ningbo": ["宁波"],
    "Nur-Sultan": ["Astana", "Астана"],
    "Ramgram": ["रामग्राम"],
    "Saga Prefecture": ["佐賀県", "Saga"],
    "Seoul": ["서울", "서울특별시"],
    "Tashkent": ["Toshkent", "Ташкент"],
    "Tel Aviv": ["תל אביב-יפו", "Tel Aviv-Yafo"],
    "Thua Thien Hue": ["Thừa Thiên Huế", "Huế"],
    "Tunis": ["تونس"],
    "Ulaanbaatar": ["Улаанбаатар", "Ulan Bator"],
    "Vladivostok": ["Владивосток"],
    "Zhejiang Province": ["浙江省", "Zhejiang"],
}
