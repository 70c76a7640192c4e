// Small embedded name lists for the reference workload, grouped by naming
// culture so that a household's members get coherent names. Every name is at
// least three characters long, precomposed (NFC), and free of commas, double
// quotes and line breaks, so it never needs CSV quoting. A few carry
// diacritics, apostrophes or spaces on purpose: importers must cope with them.

export interface NameCulture {
  readonly key: string;
  /** Relative frequency of households from this culture. */
  readonly weight: number;
  readonly female: readonly string[];
  readonly male: readonly string[];
  readonly family: readonly string[];
  /** Probability that a spouse keeps their own family name. */
  readonly spouseOwnName: number;
}

// prettier-ignore
export const NAME_CULTURES: readonly NameCulture[] = [
  {
    key: "east-african",
    weight: 44,
    spouseOwnName: 0.25,
    female: [
      "Wanjiru", "Akinyi", "Njeri", "Achieng", "Wambui", "Chebet", "Jepkoech", "Nyambura", "Atieno",
      "Wairimu", "Muthoni", "Kemunto", "Nafula", "Awino", "Moraa", "Zawadi", "Rehema", "Neema", "Faraja",
      "Makena", "Nekesa", "Wangari", "Jerotich", "Adhiambo", "Kerubo", "Imani",
    ],
    male: [
      "Kamau", "Otieno", "Kipchoge", "Mwangi", "Ochieng", "Kiprono", "Njoroge", "Odhiambo", "Baraka", "Juma",
      "Omondi", "Kibet", "Wafula", "Mutua", "Kariuki", "Onyango", "Cheruiyot", "Barasa", "Maina", "Kiptoo",
      "Wekesa", "Musyoka", "Hamisi", "Tumaini", "Nyamweya",
    ],
    family: [
      "Kamau", "Otieno", "Mwangi", "Ochieng", "Njoroge", "Odhiambo", "Wanjala", "Kiprotich", "Mutua", "Kariuki",
      "Onyango", "Cheruiyot", "Barasa", "Maina", "Wekesa", "Musyoka", "Nyamweya", "Kimani", "Ndungu", "Owino",
      "Rotich", "Langat", "Mugo", "Gitau", "Macharia", "Okoth", "Wambua", "Kilonzo", "Chege", "Omollo",
    ],
  },
  {
    key: "somali",
    weight: 12,
    spouseOwnName: 0.9,
    female: [
      "Amina", "Fatuma", "Hodan", "Sahra", "Ayan", "Asha", "Halima", "Khadija", "Maryan", "Ubah", "Nasra",
      "Faiza", "Ifrah", "Leyla", "Sagal", "Hibo", "Zeinab", "Salma", "Idil", "Najma", "Ruqia", "Sumaya",
      "Deeqa", "Farhiya", "Yasmin",
    ],
    male: [
      "Abdi", "Mohamed", "Hassan", "Ahmed", "Yusuf", "Ibrahim", "Omar", "Ali", "Abdullahi", "Farah", "Ismail",
      "Abdirahman", "Mustafa", "Hussein", "Khalid", "Bashir", "Mahad", "Said", "Osman", "Guled", "Liban",
      "Nur", "Hamza", "Idris", "Salah",
    ],
    family: [
      "Abdi", "Mohamed", "Hassan", "Ahmed", "Warsame", "Farah", "Ismail", "Aden", "Jama", "Egal", "Hersi",
      "Dahir", "Elmi", "Gedi", "Mohamud", "Noor", "Osman", "Yusuf", "Abdullahi", "Hussein", "Keynan", "Barre",
      "Samatar", "Duale", "Guleid", "Ali", "Omar", "Salat", "Haji", "Mire",
    ],
  },
  {
    key: "ethiopian",
    weight: 8,
    spouseOwnName: 0.95,
    female: [
      "Tigist", "Hirut", "Meron", "Selam", "Bethlehem", "Aster", "Almaz", "Tsion", "Rahel", "Mekdes", "Hanna",
      "Yeshi", "Genet", "Eden", "Liya", "Saba", "Frehiwot", "Senait", "Mulu", "Azeb", "Tirunesh", "Hiwot",
      "Kidist", "Betelhem", "Martha",
    ],
    male: [
      "Abebe", "Tesfaye", "Girma", "Dawit", "Yohannes", "Solomon", "Mulugeta", "Haile", "Bekele", "Getachew",
      "Alemayehu", "Kebede", "Tadesse", "Mengistu", "Berhanu", "Yonas", "Fikru", "Dereje", "Tekle", "Biniam",
      "Henok", "Natnael", "Samuel", "Eyob", "Kaleb",
    ],
    family: [
      "Abebe", "Tesfaye", "Girma", "Bekele", "Kebede", "Tadesse", "Haile", "Alemu", "Wolde", "Desta", "Gebre",
      "Assefa", "Mekonnen", "Tilahun", "Worku", "Demissie", "Negash", "Ayele", "Lemma", "Hailu", "Getahun",
      "Tefera", "Gebremedhin", "Yilma", "Belay", "Mamo", "Shiferaw", "Woldemariam", "Kassa", "Berhe",
    ],
  },
  {
    key: "west-african",
    weight: 8,
    spouseOwnName: 0.2,
    female: [
      "Adaeze", "Chiamaka", "Ngozi", "Folake", "Funmilayo", "Abena", "Akosua", "Ama", "Efua", "Yetunde",
      "Nkechi", "Aisha", "Bisola", "Kemi", "Temitope", "Adwoa", "Esi", "Ifeoma", "Oluwaseun", "Chinwe",
      "Titilayo", "Zainab", "Uchenna", "Adjoa", "Mariama",
    ],
    male: [
      "Chukwuemeka", "Olumide", "Kwame", "Kofi", "Yaw", "Kwabena", "Emeka", "Tunde", "Chinedu", "Babatunde",
      "Adebayo", "Obinna", "Ikechukwu", "Segun", "Femi", "Kojo", "Kwaku", "Nnamdi", "Ifeanyi", "Abubakar",
      "Mamadou", "Ousmane", "Sekou", "Amadou", "Gbenga",
    ],
    family: [
      "Okafor", "Adeyemi", "Mensah", "Boateng", "Owusu", "Okonkwo", "Balogun", "Asante", "Nwosu", "Oladipo",
      "Eze", "Chukwu", "Adebayo", "Ogunleye", "Appiah", "Osei", "Danso", "Ibe", "Obi", "Nwachukwu", "Diallo",
      "Traoré", "Keita", "Coulibaly", "Sow", "Bah", "Okeke", "Afolabi", "Amoah", "Agyeman",
    ],
  },
  {
    key: "south-asian",
    weight: 9,
    spouseOwnName: 0.1,
    female: [
      "Priya", "Ananya", "Lakshmi", "Sunita", "Kavita", "Deepa", "Meera", "Pooja", "Aarti", "Shalini", "Nisha",
      "Rekha", "Sanjana", "Divya", "Fatima", "Nasreen", "Shabnam", "Ayesha", "Parveen", "Rukhsana", "Geeta",
      "Savitri", "Jyoti", "Anjali", "Radha",
    ],
    male: [
      "Rahul", "Arjun", "Vikram", "Suresh", "Ramesh", "Anil", "Sanjay", "Rajesh", "Amit", "Deepak", "Imran",
      "Salman", "Farhan", "Tariq", "Naveen", "Ravi", "Manoj", "Harish", "Kiran", "Mohan", "Arif", "Sunil",
      "Prakash", "Ashok", "Gopal",
    ],
    family: [
      "Sharma", "Patel", "Singh", "Kumar", "Gupta", "Shah", "Reddy", "Iyer", "Nair", "Rao", "Das", "Khan",
      "Hussain", "Chaudhry", "Mehta", "Joshi", "Pillai", "Menon", "Banerjee", "Mukherjee", "Verma", "Yadav",
      "Mishra", "Qureshi", "Siddiqui", "Desai", "Bhatt", "Malik", "Ansari", "Chowdhury",
    ],
  },
  {
    key: "hispanic",
    weight: 7,
    spouseOwnName: 0.6,
    female: [
      "María", "Guadalupe", "Ana", "Lucía", "Carmen", "Sofía", "Valentina", "Camila", "Rosa", "Elena",
      "Isabel", "Gabriela", "Daniela", "Paola", "Mariana", "Fernanda", "Verónica", "Patricia", "Adriana",
      "Juana", "Luz", "Beatriz", "Inés", "Claudia", "Ximena",
    ],
    male: [
      "José", "Juan", "Luis", "Carlos", "Jorge", "Miguel", "Andrés", "Diego", "Alejandro", "Fernando", "Javier",
      "Ricardo", "Pedro", "Raúl", "Sergio", "Manuel", "Francisco", "Héctor", "Rafael", "Óscar", "Eduardo",
      "Mateo", "Santiago", "Julián", "Tomás",
    ],
    family: [
      "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez", "Ramírez",
      "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz", "Morales", "Reyes", "Gutiérrez", "Ortiz", "Chávez",
      "Ruiz", "Jiménez", "Mendoza", "Vargas", "Castillo", "Romero", "Herrera", "Medina", "Aguilar", "Rojas",
    ],
  },
  {
    key: "southeast-asian",
    weight: 7,
    spouseOwnName: 0.3,
    female: [
      "Maricel", "Jasmine", "Rowena", "Liezl", "Kristine", "Marites", "Siti", "Dewi", "Putri", "Ayu", "Rina",
      "Wulan", "Indah", "Lestari", "Thảo", "Hương", "Lan", "Mai", "Linh", "Ngọc", "Trang", "Hạnh", "Chanthy",
      "Sokha", "Malai",
    ],
    male: [
      "Jomar", "Rodel", "Arnel", "Jerome", "Rommel", "Renato", "Budi", "Agus", "Wayan", "Eko", "Hendra", "Dedi",
      "Joko", "Bambang", "Rizky", "Minh", "Tuấn", "Hùng", "Dũng", "Quang", "Phúc", "Khoa", "Sokchea", "Vannak",
      "Somchai",
    ],
    family: [
      "Santos", "Bautista", "Dela Cruz", "Villanueva", "Ramos", "Aquino", "Castro", "Navarro", "Mercado",
      "Santoso", "Wijaya", "Hidayat", "Saputra", "Kusuma", "Pratama", "Setiawan", "Nugroho", "Gunawan",
      "Nguyễn", "Trần", "Phạm", "Hoàng", "Huỳnh", "Phan", "Đặng", "Bùi", "Sok", "Chan", "Sorn", "Vong",
    ],
  },
  {
    key: "european",
    weight: 5,
    spouseOwnName: 0.2,
    female: [
      "Emma", "Olivia", "Sarah", "Anna", "Laura", "Julia", "Sophie", "Charlotte", "Emily", "Hannah", "Claire",
      "Ingrid", "Katarzyna", "Agnieszka", "Margaret", "Eleanor", "Grace", "Chloé", "Zoë", "Aoife", "Siobhan",
      "Freya", "Astrid", "Helga", "Marta",
    ],
    male: [
      "James", "John", "Thomas", "William", "Michael", "David", "Peter", "Paul", "Daniel", "Lukas", "Jan",
      "Piotr", "Krzysztof", "Sean", "Patrick", "Henrik", "Lars", "Søren", "Jürgen", "François", "Pierre",
      "Matteo", "Luca", "Giovanni", "Niall",
    ],
    family: [
      "Smith", "Jones", "Brown", "Wilson", "Taylor", "Müller", "Schmidt", "Schneider", "Fischer", "Weber",
      "Nowak", "Kowalski", "Wiśniewski", "Dubois", "Martin", "Bernard", "Rossi", "Russo", "Bianchi", "O'Brien",
      "Murphy", "Kelly", "Jensen", "Nielsen", "Hansen", "Johansson", "Andersson", "Van der Berg", "De Vries",
      "Novák",
    ],
  },
];

/** Street names used to build addresses. */
// prettier-ignore
export const STREET_NAMES: readonly string[] = [
  "Uhuru", "Harambee", "Jacaranda", "Mango", "Market", "Station", "Mission", "Church", "School", "Hospital",
  "River", "Baobab", "Acacia", "Moi", "Kenyatta", "Jamhuri", "Biashara", "Msikiti", "Kanisa", "Posta",
  "Stadium", "Railway", "Lake", "Hill", "Valley", "Cemetery", "Chief's Camp", "Bus Park", "Cattle Dip",
  "Water Tank",
];

export const STREET_KINDS: readonly string[] = ["Road", "Street", "Lane", "Avenue", "Close", "Drive"];

/** Syllables for the (made-up) locality names of the gazetteer. */
// prettier-ignore
export const PLACE_PREFIXES: readonly string[] = [
  "Ka", "Ki", "Mu", "Nya", "Ol", "Ma", "Ngo", "Bu", "Ru", "Chi", "Lo", "Wa", "Ko", "Sa", "Ta", "Ga", "Mo",
  "Ne", "Ith", "Kwa",
];
export const PLACE_MIDDLES: readonly string[] = ["", "ra", "mu", "ti", "ko", "la", "nga", "si", "we", "ri"];
export const PLACE_SUFFIXES: readonly string[] = [
  "ni",
  "to",
  "wa",
  "thi",
  "ma",
  "ngo",
  "ru",
  "bi",
  "ka",
  "ye",
  "mba",
  "ri",
  "ne",
  "sia",
];
