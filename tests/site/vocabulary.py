"""Words and sentence templates for synthetic stories (curly quotes and dashes included)."""

COUNTRIES = (
    "Kuwait",
    "Jordan",
    "Qatar",
    "Ukraine",
    "Azerbaijan",
    "Oman",
    "Egypt",
    "Japan",
    "Germany",
    "France",
    "India",
    "Brazil",
    "Saudi Arabia",
    "Bahrain",
    "Italy",
)
CITIES = (
    "Amman",
    "Kuwait City",
    "Doha",
    "Kyiv",
    "Baku",
    "Muscat",
    "Cairo",
    "Tokyo",
    "Berlin",
    "Paris",
    "New Delhi",
    "Riyadh",
    "Manama",
    "Rome",
    "Wonsan",
)
ORGS = (
    "the Central Bank",
    "the Ministry of Finance",
    "the Chamber of Commerce",
    "the National Petroleum Company",
    "the Stock Exchange",
    "the Health Ministry",
    "the Meteorological Department",
    "the Investment Authority",
    "the Ports Corporation",
)
TOPICS = (
    "oil prices",
    "gold prices",
    "bilateral trade",
    "renewable energy",
    "food security",
    "tourism revenue",
    "water desalination",
    "the banking sector",
    "digital payments",
    "public health",
    "port logistics",
    "education reform",
    "housing loans",
)
VERBS = ("rose", "fell", "edged up", "slipped", "climbed", "dropped", "rebounded")
TITLE_TEMPLATES = (
    "{country} Strongly Condemns Attack In {city}",
    "{org_t} Reports {pct} Rise In Quarterly Profit",
    "Gold Prices {verb_t} {pct} As Markets Eye {country}",
    "{country}, {country2} Discuss Cooperation On {topic_t}",
    "Relatively Hot Weather Forecast Countrywide For {weekday}",
    "{country} Oil Price {verb_t} {cents} Cents To USD {price}",
    "{city} Hosts Regional Forum On {topic_t}",
    "Cabinet Approves New Measures To Support {topic_t}",
)
SENTENCES = (
    "{org} said on {weekday} that {topic} {verb} by {pct} compared with the same period last year.",
    "Officials in {city} told reporters that talks with {country} would continue in {month}.",
    "The figure of {number} was announced at a press conference attended by delegates from "
    "{country}.",
    "“We are committed to strengthening cooperation on {topic},” a senior official at {org} said.",
    "Analysts expect {topic} to remain under pressure until {month}, citing weak demand in "
    "{country}.",
    "According to {org}, the price of a barrel {verb} {cents} cents to USD {price}.",
    "The meeting in {city} also reviewed regional developments – including {topic} – and ways "
    "to expand trade.",
    "Temperatures are expected to range between {low} and {high} degrees Celsius in {city}.",
    "A statement from {org} added that {number} applications had been processed so far.",
    "Delegations from {country} and {country2} signed {small} memoranda of understanding on "
    "{topic}.",
)
HISTORY_EVENTS = (
    "Kuwait joined the {org_t2} as its {small}th member.",
    "The Cabinet approved a plan to develop {topic} in cooperation with {country}.",
    "A delegation from {country} visited {city} to discuss {topic}.",
    "{org} announced the opening of a new office in {city}.",
    "Kuwait won {small} medals at a regional championship held in {city}.",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
TAGS = ("Economy", "Oil", "Gold", "Politics", "Weather", "Trade", "Energy", "Markets", "Health")
