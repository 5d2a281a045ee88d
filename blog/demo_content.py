"""Original demo content for a fresh Byline site: sections, people, articles, comments."""

SECTIONS = [
    {
        "name": "City",
        "slug": "city",
        "description": (
            "Council decisions, neighbourhoods and the everyday business of running Harborview."
        ),
    },
    {
        "name": "Region",
        "slug": "region",
        "description": "News from the valley towns, the coast and the islands around Harborview.",
    },
    {
        "name": "Business",
        "slug": "business",
        "description": "Jobs, shops, the port and the people who keep the local economy moving.",
    },
    {
        "name": "Science",
        "slug": "science",
        "description": (
            "Research, health and the natural world, from the harbour floor to the "
            "observatory dome."
        ),
    },
    {
        "name": "Culture",
        "slug": "culture",
        "description": "Music, theatre, museums, food and the creative life of the city.",
    },
    {
        "name": "Sport",
        "slug": "sport",
        "description": (
            "Results, profiles and grassroots sport from the pitch, the river and the road."
        ),
    },
    {
        "name": "Opinion",
        "slug": "opinion",
        "description": (
            "Analysis, commentary and argument from our writers, clearly labelled as such."
        ),
    },
]

TOPICS = [
    {"name": "Transport", "slug": "transport"},
    {"name": "City Council", "slug": "council"},
    {"name": "Waterfront", "slug": "waterfront"},
    {"name": "Libraries", "slug": "libraries"},
    {"name": "Environment", "slug": "environment"},
    {"name": "Weather", "slug": "weather"},
    {"name": "City Budget", "slug": "budget"},
    {"name": "Parks", "slug": "parks"},
    {"name": "Schools", "slug": "schools"},
    {"name": "Small Business", "slug": "small-business"},
    {"name": "Local History", "slug": "history"},
    {"name": "Housing", "slug": "housing"},
    {"name": "Food & Drink", "slug": "food"},
    {"name": "Jobs", "slug": "jobs"},
    {"name": "Health", "slug": "health"},
    {"name": "Energy", "slug": "energy"},
    {"name": "Technology", "slug": "technology"},
    {"name": "Arts", "slug": "arts"},
    {"name": "Music", "slug": "music"},
    {"name": "Football", "slug": "football"},
    {"name": "Rowing", "slug": "rowing"},
    {"name": "Cycling", "slug": "cycling"},
]

PEOPLE = [
    {
        "name": "Helen Ashdown",
        "slug": "helen-ashdown",
        "email": "helen.ashdown@byline.example",
        "role": "admin",
        "bio": (
            "Helen is the editor in chief of Byline and has reported on Harborview for more "
            "than twenty years. She writes the occasional column and reads every correction "
            "request personally."
        ),
        "color": "#2b6cb0",
    },
    {
        "name": "Tomas Reyes",
        "slug": "tomas-reyes",
        "email": "tomas.reyes@byline.example",
        "role": "editor",
        "bio": (
            "Tomas runs the city desk and covers council, housing and transport. He has sat "
            "through more planning committee meetings than he cares to count."
        ),
        "color": "#c05621",
    },
    {
        "name": "Amara Quist",
        "slug": "amara-quist",
        "email": "amara.quist@byline.example",
        "role": "author",
        "bio": (
            "Amara covers science, health and the environment, with a particular weakness "
            "for anything that lives in the harbour. She trained as a marine biologist "
            "before moving into journalism."
        ),
        "color": "#2f855a",
    },
    {
        "name": "Devon Hale",
        "slug": "devon-hale",
        "email": "devon.hale@byline.example",
        "role": "author",
        "bio": (
            "Devon reports on business and sport, which he insists have more in common than "
            "people think. He grew up in the valley towns and still plays five-a-side on "
            "Thursday nights."
        ),
        "color": "#6b46c1",
    },
    {
        "name": "Lena Marchetti",
        "slug": "lena-marchetti",
        "email": "lena.marchetti@byline.example",
        "role": "author",
        "bio": (
            "Lena writes about culture, food and the people who make Harborview's creative "
            "scene tick. She reviews theatre, concerts and the occasional very good "
            "sandwich."
        ),
        "color": "#b83280",
    },
]

ARTICLES = [
    {
        "title": "Council approves two-year trial of car-free Saturdays on Quay Street",
        "section": "city",
        "author": "tomas-reyes",
        "topics": ["transport", "council", "waterfront"],
        "brief": (
            "From next month, the stretch of Quay Street between the Customs House and "
            "Anchor Bridge will close to traffic every Saturday from 9am to 6pm. Traders are "
            "split; the council says it will publish the data either way."
        ),
        "body": """Harborview City Council voted 9 to 4 on Tuesday night to close the busiest
stretch of Quay Street to motor traffic every Saturday for the next two years, ending a debate
that has run, on and off, since the waterfront was repaved a decade ago.

Under the plan, the road between the Customs House and Anchor Bridge will be shut to cars, vans
and taxis from 9am to 6pm each Saturday, starting on the first weekend of next month.
Deliveries will be allowed before 9am, and blue-badge holders will keep access to the four
disabled bays outside the fish market, which will be reached from Chandler Lane instead.

The chamber's public gallery was full for the vote, and more than forty people had registered
to speak. Councillor Miriam Osei, who chairs the transport committee and proposed the trial,
said the aim was to find out, rather than assume, what happens when the waterfront is given
over to people on foot.

"We have had ten years of people telling us with great confidence what would happen if we did
this," she said. "Some say trade would collapse, some say it would double. This is how we find
out. We will count footfall, we will ask traders for their takings, and we will publish all of
it, whatever it shows."

## What changes on a Saturday

The council's transport officers set out the practical arrangements in a report published
alongside the agenda. The main points are:

- Quay Street closed to motor vehicles between the Customs House and Anchor Bridge, 9am to 6pm
  on Saturdays.
- Route 14 buses diverted along Ropewalk and Mercer Street, with a temporary stop outside the
  Corn Exchange.
- Loading allowed from 6am to 9am, with a marshal on duty for the first eight weeks.
- Two additional cycle stands at each end of the closed section, and a pop-up seating area
  outside the old harbour master's office.

Officers estimate the closure will add around four minutes to a Saturday bus journey along
the 14. Cyclists will be allowed to ride through at walking pace, a compromise reached after
objections from the city's access forum, whose members had raised concerns about fast bikes
weaving through crowds.

## Traders divided

The waterfront's businesses were not of one mind. A petition organised by the Quay Street
Traders' Group, signed by 31 of the 58 businesses on the street, had asked for the trial to be
limited to the summer months. Its chair, Colin Fairbairn, who has run a hardware shop at the
eastern end of the quay for twenty-six years, told councillors that many of his customers drive
in precisely because they are buying things they cannot carry.

"Nobody walks home with a bag of cement," he said. "I am not against people enjoying the
harbour. I am asking that you remember that some of us are not cafes."

Others welcomed the decision. Sunita Barlow, who opened a bakery near the Customs House three
years ago, said her busiest days were already the handful of festival weekends when the road is
closed. "When the cars go, people stay longer. They sit down, they come back for a second
coffee. I would have voted for it in a heartbeat."

The council has agreed to set aside a small fund to help businesses at the eastern end arrange
Saturday deliveries for customers, and officers will meet the traders' group monthly during the
first six months.

The trial will be reviewed formally after twelve months and again at the end of the second
year. Officers will install automatic pedestrian counters at four points along the quay and
will compare Saturday figures with weekdays and with the same weeks of the previous year. The
city will also survey residents on the neighbouring streets, where some worry that displaced
traffic will simply move onto quieter roads.

Councillor Raj Pemberton, who voted against, said he was not opposed in principle but doubted
the council's ability to judge the results fairly. "Every trial in this city becomes permanent
by default," he said. Officers said the resolution requires a fresh vote before the closure
could be extended beyond two years.

The first car-free Saturday is expected to coincide with the opening weekend of the summer
harbour market. The council says it will publish footfall figures for the first month on its
website within six weeks.
""",
        "days_ago": 0.6,
        "featured": True,
        "cover": {
            "alt": (
                "Abstract illustration of overlapping blue and ochre shapes suggesting a "
                "waterfront street"
            ),
            "caption": "Illustration: Quay Street, reimagined in shapes and colour.",
        },
        "editor_comments": [
            (
                "Update: The council has confirmed that taxis with wheelchair access will be "
                "allowed to reach the Customs House drop-off point during closure hours. We "
                "have added this to the article. — T.R., city desk"
            ),
        ],
        "comments": [
            {
                "name": "Priya",
                "body": (
                    "Finally. I walk along the quay with a pushchair every Saturday and it's "
                    "like playing a video game with the delivery vans."
                ),
                "replies": [
                    {
                        "name": "Colm W.",
                        "body": (
                            "The vans will still be there before 9am though, which is when "
                            "I'm out with my two. Not sure this changes much for early "
                            "risers."
                        ),
                        "replies": [
                            {
                                "name": "Priya",
                                "body": "Fair point. Still, 9 to 6 covers most of the day for us.",
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Geoff Handley",
                "body": (
                    "I feel for Mr Fairbairn. His shop is the only place within three miles "
                    "that cuts keys *and* sells proper screws. If the trial hurts him I hope "
                    "the council actually does something about it."
                ),
                "replies": [
                    {
                        "name": "Marta",
                        "body": (
                            "The article says there's a delivery fund for shops at the "
                            "eastern end. Whether it's enough is another matter."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "harbourrunner",
                "body": (
                    "Four minutes extra on the 14 isn't nothing if you're connecting to the "
                    "train. Would be good to see the timetable adjusted rather than just "
                    "hoping."
                ),
                "replies": [],
            },
            {
                "name": "Ines",
                "body": (
                    "Glad they're publishing the data. Here's the footfall report from the "
                    "festival weekends that the article mentions, for anyone curious: "
                    "[summary](https://example.org/harborview/quay-footfall)."
                ),
                "replies": [],
            },
            {
                "name": "Dougie",
                "body": (
                    "Two years is a long time to run an experiment. Why not six months and review?"
                ),
                "replies": [
                    {
                        "name": "Sam K.",
                        "body": (
                            "Because six months only covers one season. You'd either get a "
                            "summer result or a winter result and both would be misleading."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Ruth Abernethy",
                "body": (
                    "As someone with a blue badge, I'm relieved the bays outside the fish "
                    "market stay accessible. Chandler Lane is narrow, though, so let's see "
                    "how that works in practice."
                ),
                "replies": [],
            },
            {
                "name": "Leon",
                "body": (
                    "Can we please also do something about the cobbles at the Anchor Bridge "
                    "end? Car-free is great but I'd like to get across without turning an "
                    "ankle."
                ),
                "replies": [],
            },
            {
                "name": "Bernadette O.",
                "body": (
                    "Went to the meeting. For the record the debate was civil and both sides "
                    "made good points. Nice to see."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 48, "facebook": 91, "whatsapp": 33, "email": 12, "copy": 7},
    },
    {
        "title": "Library branches to keep evening hours after successful pilot",
        "section": "city",
        "author": "tomas-reyes",
        "topics": ["libraries", "council"],
        "brief": (
            "Three branch libraries will stay open until 8pm on weekdays after a six-month "
            "trial drew students, shift workers and a surprising number of chess players."
        ),
        "body": """Three of Harborview's branch libraries will permanently stay open until 8pm
on weekday evenings, the city's libraries service confirmed this week, after a six-month pilot
found that the extra hours were among the busiest of the day.

The branches at Northgate, St Agnes and Fenwick Park had previously closed at 5.30pm. During
the pilot, staff recorded more than 14,000 visits after that time, with the Fenwick Park branch
alone accounting for almost half of them. The evening hours will now be funded from the
libraries budget on an ongoing basis, rather than from the one-off grant that paid for the
trial.

Catherine Doyle, who manages the city's library network, said the figures had surprised even
her own staff. "We expected students, and we got students," she said. "What we did not expect
was how many people would come in straight from work, or how many families would use the
building as a quiet place after dinner. There were evenings when every table in Fenwick Park
was taken."

## Who came after dark

Staff at the three branches kept a simple tally of what people were doing during the extended
hours. Studying and homework accounted for the largest share, followed by computer use and
borrowing. But the pilot also revealed some less predictable patterns.

At Northgate, an informal chess club that began with two retired postal workers grew to more
than twenty regulars, and now meets on Tuesday and Thursday evenings. St Agnes saw steady
demand for its printing and scanning service from people filling in job applications and
benefit forms, often with help from volunteers. Fenwick Park, which sits between two large
estates and a further education college, became a kind of evening study hall.

"I work days at the distribution centre," said Joel Amankwah, 23, who is studying for an
accountancy qualification. "Before, I'd come home and try to work at the kitchen table with my
brothers and the television. Now I come here at six and do two hours properly. It has genuinely
changed how quickly I'm getting through the course."

## The cost of staying open

Keeping the three branches open for an extra two and a half hours each weekday will cost around
£96,000 a year, mainly in staffing, heating and lighting. The libraries service said it would
meet the cost partly by reducing opening hours at the central library on Sunday mornings, which
the pilot found to be the quietest part of the week, and partly from savings on the service's
energy contract after new lighting was installed last year.

Not everyone welcomed the trade-off. A small group of regular Sunday visitors to the central
library wrote to councillors asking for the morning hours to be protected. Ms Doyle said the
central library would still open at 1pm on Sundays and that the change affected fewer than 60
visits a week on average.

Councillor Amy Whitlock, who represents Fenwick Park ward, said the decision showed that
libraries remained some of the most valued public buildings in the city. "When people talk
about libraries declining, they should come to Fenwick Park on a Wednesday night," she said.
"It is full of people doing exactly what a library is for."

The new hours take effect from the start of next month. The libraries service says it is now
looking at whether a fourth branch, at Cobble Hill, could follow, and will run a short survey
of users there over the summer. It is also considering whether to extend the evening hours into
Saturday during exam season.

Volunteers are being sought to help with the job-application sessions at St Agnes. Anyone
interested can ask at the branch or contact the libraries service through the council's
website.
""",
        "days_ago": 2.5,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of warm yellow rectangles glowing against a deep blue "
                "background"
            ),
            "caption": "Illustration: lit windows on a weekday evening.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Anouk",
                "body": (
                    "The Tuesday chess club at Northgate is lovely. Went along as a total "
                    "beginner and nobody made me feel daft."
                ),
                "replies": [
                    {
                        "name": "Frank P.",
                        "body": (
                            "Glad to hear it! We're always looking for new players. Bring a friend."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Martin Cole",
                "body": (
                    "Shame about the Sunday mornings at central though. It was the only time "
                    "I could get there."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 27, "email": 9, "x": 6},
    },
    {
        "title": "Millbrook residents press for clearer timeline on flood wall",
        "section": "city",
        "author": "amara-quist",
        "topics": ["environment", "council", "weather"],
        "brief": (
            "Two winters after the Millbrook flooding, residents say they still do not know "
            "when construction of the promised flood defences will begin. The council says "
            "detailed designs are almost complete."
        ),
        "body": """Residents of Millbrook packed the community hall on Thursday evening to
demand a firm date for the start of work on a flood wall that the city promised after the river
burst its banks two winters ago.

The meeting, organised by the Millbrook Residents' Association, was attended by around 120
people, along with officers from the council's engineering team and representatives of the
regional environment agency. Many of those present had been forced out of their homes for
months after the flood, and several said they had not yet been able to get buildings insurance
at a price they could afford.

"We were told there would be a wall. We were shown drawings. Then nothing," said Beatrice
Lowry, who has lived on Weir Street for thirty-one years. "Every time it rains heavily, I lie
awake listening to the river. I would like to know whether I will be doing that for one more
winter or five."

## Where the project stands

Officers told the meeting that detailed designs for the defences were nearly finished and that
the scheme would be submitted for planning approval by the end of the summer. If approved,
construction could start the following spring and take around eighteen months.

The planned defences include a reinforced wall along roughly 800 metres of the riverbank
between the old weir and the Millbrook Road bridge, with flood gates at two points where
footpaths reach the water. A new pumping station would be built near the allotments to deal
with surface water that collects behind the wall during heavy rain.

Daniel Okonjo, the council's principal flood engineer, acknowledged the frustration in the
room. He said the delays had been caused mainly by ground investigations, which found the
riverbank soil to be weaker than expected in places, and by the need to redesign the wall's
foundations as a result.

"I understand that from the outside it looks like nothing has happened," he said. "A great deal
of work has been done, most of it underground and on paper. I would rather take an extra six
months and build something that will still be there in eighty years."

Residents also pressed officers on what would protect them in the meantime. The council has
stockpiled temporary barriers at the depot on Brewery Lane and says they can be deployed within
four hours of a flood warning. It has also offered grants of up to £5,000 to households that
want to fit flood doors, air-brick covers or non-return valves.

Take-up of the grants has been lower than expected. Fewer than 90 of the 400 eligible
households have applied, and several residents said the application process was confusing.
Officers agreed to hold drop-in sessions in the community hall to help people fill in the
forms.

Some at the meeting questioned whether the wall was the right answer at all. Joseph Narang, a
retired hydrologist who lives near the allotments, argued that more should be done upstream to
slow the flow of water, for example by restoring wetland on farmland in the valley. Officers
said upstream measures were being studied separately by the environment agency but would not
replace the need for defences in Millbrook itself.

## What residents want

By the end of the evening, the residents' association had drawn up a short list of requests,
which its chair, Tom Fairley, said would be sent to every councillor:

1. A published timetable for planning, procurement and construction, updated every quarter.
2. A named officer residents can contact directly about the scheme.
3. Help with insurance, including a letter setting out the planned defences that households can
   show to insurers.

The council said it would respond in writing within a month. The next meeting of the residents'
association is expected in the autumn, by which time the planning application should have been
submitted.
""",
        "days_ago": 5.15,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of layered grey and teal bands like a river rising "
                "against a wall"
            ),
            "caption": "Illustration: water and stone in layers.",
        },
        "editor_comments": [
            (
                "Correction: An earlier version of this article said the grants were worth "
                "up to £3,000. The correct figure is up to £5,000 per household. — A.Q."
            ),
        ],
        "comments": [
            {
                "name": "Beatrice L.",
                "body": "Thank you for covering this. Please keep asking them for the timetable.",
                "replies": [],
            },
            {
                "name": "Hugh",
                "body": "The point about upstream wetlands is a good one. Both/and, not either/or.",
                "replies": [
                    {
                        "name": "Carys",
                        "body": (
                            "Agree, though wetlands take years to make a difference. People "
                            "in Weir Street need something sooner."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Nadia R.",
                "body": (
                    "I applied for the flood door grant and it took three attempts. The "
                    "drop-in sessions are a very good idea."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 64, "whatsapp": 21, "email": 8, "x": 11},
    },
    {
        "title": "Record turnout at budget hearing as city weighs repairs to Fenwick pool",
        "section": "city",
        "author": "tomas-reyes",
        "topics": ["budget", "council", "parks"],
        "brief": (
            "More than 200 people came to the first public hearing on next year's budget, "
            "most of them to speak about the future of the Fenwick Park swimming pool."
        ),
        "body": """The city's first public hearing on next year's budget drew its largest crowd
in memory on Monday, as swimmers, parents and school staff turned out to argue for repairs to
the ageing swimming pool in Fenwick Park.

More than 200 people filled the council chamber and an overflow room where the session was
shown on a screen. The draft budget, published last month, includes money to keep the pool open
for one more year but sets aside nothing for the larger repairs that engineers say will be
needed to keep it running beyond that.

A condition survey commissioned last year found that the pool's filtration plant is close to
the end of its working life and that the roof over the main hall needs significant work. The
total cost of repairs is estimated at £2.3 million, spread over three years.

## Swimmers make their case

Speaker after speaker urged councillors to find the money. Jenny Halloran, who coaches the
Fenwick Otters junior swimming club, said the pool was the only one in the eastern half of the
city and that more than 1,500 children learned to swim there each year through school lessons.

"If this pool closes, those children will not suddenly start taking two buses across the city
to swim," she said. "They will simply not learn. In a city built around a harbour, that is not
a small thing."

Others spoke about the pool as a place for older residents. Derek Simms, 78, said he had swum
there three mornings a week since he retired and credited it with keeping him out of hospital
after a hip replacement. "The water does what the physio cannot," he said, to applause.

A headteacher from a nearby primary school presented a letter signed by the heads of nine
schools, asking the council to commit to the repairs before the budget is finalised.

## The council's position

Councillor Graham Achebe, who holds the finance portfolio, thanked residents for coming and
said no decision had been made to close the pool. He said the draft budget was deliberately
cautious because the council was still waiting to hear how much it would receive in government
grants next year.

"We share the affection for Fenwick pool," he said. "But I would be misleading people if I said
there is £2.3 million sitting in a drawer. There is not. If we find it, something else will
have to give, and I want people to understand that trade-off."

He said officers were looking at whether the repairs could be phased, starting with the
filtration plant, and whether any external funding might be available from sport or health
bodies. A report on those options is expected before the final budget vote.

The pool dominated the evening, but it was not the only subject raised. Several residents spoke
about proposed increases to parking charges in the city centre, and a group from the Cobble
Hill allotments asked the council to reconsider a planned rise in plot rents. A representative
of a local disability charity urged councillors not to cut the budget for dropped kerbs and
accessible crossings.

The draft budget proposes total spending of around £412 million next year, a rise of just under
3 per cent, with the largest increases going to adult social care and children's services.
Council tax would rise by 2.9 per cent under the current proposals.

A second public hearing will be held in Northgate next month, and residents can also comment
online until the end of the consultation period. The full council is due to vote on the final
budget in the autumn.
""",
        "days_ago": 9.35,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Jenny H.",
                "body": (
                    "Thanks to everyone who came. The online consultation is open until the "
                    "end of next month, please fill it in even if you couldn't make the "
                    "hearing."
                ),
                "replies": [],
            },
            {
                "name": "Oskar",
                "body": (
                    "Phasing the repairs seems sensible. Fix the filtration first, worry "
                    "about the roof next year."
                ),
                "replies": [],
            },
            {
                "name": "Pauline",
                "body": "Derek is a legend. See him every Tuesday, still faster than me.",
                "replies": [
                    {
                        "name": "Derek S.",
                        "body": "Only because you stop to chat at every length, Pauline.",
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 52, "x": 9, "email": 5},
    },
    {
        "title": "Painted safety zones and new crossing patrols for three primary schools",
        "section": "city",
        "author": "tomas-reyes",
        "topics": ["schools", "transport"],
        "brief": (
            "Streets outside three primary schools will get brightly painted safety zones, "
            "lower speed limits and extra crossing patrols after parents reported repeated "
            "near misses at drop-off time."
        ),
        "body": """Three primary schools in Harborview will get painted safety zones, 20mph
limits and additional crossing patrols from the start of the autumn term, after parents
gathered evidence of near misses at the school gates.

The measures will be introduced outside Linden Road Primary, St Columba's and Harbour Heights,
all of which sit on roads used as shortcuts by commuters. The council's highways team will
paint bright patterned surfaces on the road directly outside each entrance, add raised kerbs to
narrow the carriageway, and fit signs warning drivers that they are entering a school zone.

The scheme began with a group of parents at Linden Road, who spent two weeks last spring
standing at the gates at drop-off and pick-up time with clipboards. They logged 47 incidents
they described as near misses, including cars mounting the pavement to pass parked vehicles and
drivers reversing out of driveways without looking.

## Parents behind the push

Rachel Brennan, whose two children attend Linden Road, said the group had not set out to
campaign. "We started because one of the dads nearly got hit while he was holding his
daughter's hand, and we thought, somebody must be counting this," she said. "Nobody was. So we
did."

The group shared its findings with the headteacher, who passed them to ward councillors.
Officers then ran their own traffic survey, which found that around a third of vehicles passing
the school during the morning peak were exceeding the existing 30mph limit.

"The parents did the groundwork," said Councillor Farah Mistry, who represents the area. "Their
evidence was careful and honest, and it made it very easy to make the case for action."

## What the zones will look like

The painted zones are part of a wider approach the council is testing across the city. Rather
than relying only on signs, the idea is to change how the street looks and feels, so that
drivers instinctively slow down. The design at each school will include:

- A coloured road surface, designed with pupils, running about 40 metres either side of the
  entrance.
- Narrowed carriageway with planters and raised kerbs to stop parking on the zig-zag lines.
- A new 20mph limit during school hours, shown on flashing signs.
- An additional crossing patrol officer at Harbour Heights, where two entrances face different
  roads.

Pupils at all three schools will be invited to submit designs for the painted surfaces, with
the final patterns chosen by a panel that includes a local artist and the council's road safety
officer. Paint used on the road will be a textured, skid-resistant type that lasts around five
years.

Some residents on neighbouring streets have raised concerns that parents who currently park
outside the schools will simply move around the corner. The council says it will monitor
parking in surrounding roads during the first term and is considering a scheme where some
parents park at a nearby supermarket and walk the last few hundred metres with a staff member.

The cost of the work at the three schools is estimated at £180,000, funded through the
council's road safety budget and a contribution from the regional transport authority. If the
zones prove effective, the council says it will consider extending the approach to other
schools from next year. Parents at two further schools have already asked to be included.
""",
        "days_ago": 14.6,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of bright geometric patterns in red, yellow and green "
                "painted across a grey surface"
            ),
            "caption": "Illustration: playful patterns on a school street.",
        },
        "editor_comments": [],
        "comments": [],
        "shares": {"facebook": 38, "whatsapp": 14, "email": 3},
    },
    {
        "title": "Bus network redesign: what changes on the 12, 14 and 31",
        "section": "region",
        "author": "tomas-reyes",
        "topics": ["transport"],
        "brief": (
            "The regional transport authority has published its final plan for Harborview's "
            "bus network. Here is what it means for the three busiest routes, and for the "
            "villages at the end of the line."
        ),
        "body": """The regional transport authority has published the final version of its
redesign of Harborview's bus network, the first major overhaul in more than fifteen years. The
changes take effect in two stages, starting in the autumn, and affect almost every route in the
city and the surrounding valley.

The authority says the new network is built around a simple idea: fewer routes, running more
often. Several overlapping services that currently run every thirty or forty minutes will be
merged into single routes running every ten or fifteen. The trade-off is that some passengers
will have to walk further to a stop, or change buses where they currently have a direct
journey.

More than 3,800 people responded to the consultation last winter, and the authority says it has
made 23 changes to its original proposals as a result. We have looked at the three routes
readers asked us about most.

**Route 12: Northgate to the hospital.** The 12 is the route most changed by the consultation.
The original plan would have removed its loop through the Ashcombe estate, leaving residents
with a ten-minute walk, much of it uphill, to the nearest stop. After objections from residents
and from the hospital's patient forum, the loop has been kept, though buses will now run every
twelve minutes rather than every ten.

The route will also be extended at the northern end to reach the new retail park at Kettle
Cross, which is currently served only by an hourly shuttle.

**Route 14: along the waterfront.** The 14 will remain the main route along the waterfront,
linking the railway station, the Customs House and the university's harbour campus. Frequency
will increase from every fifteen minutes to every ten during the day on weekdays. On Saturdays,
the route will be diverted along Ropewalk and Mercer Street while the council's car-free trial
on Quay Street is in place.

Evening services, which currently stop at 10pm, will run until 11.30pm on Fridays and
Saturdays, a change that hospitality businesses on the waterfront had campaigned for.

**Route 31: out to the valley.** The 31, which runs from the bus station to the valley towns of
Ashford Green, Lowmoor and Stenby, has been the most contentious. The authority originally
proposed cutting the service beyond Lowmoor to every two hours and asking Stenby passengers to
use a new demand-responsive minibus for the rest of the day.

That proposal has been softened. The 31 will continue to run hourly all the way to Stenby on
weekdays, with the minibus added on top to serve outlying farms and hamlets that currently have
no bus at all. On Sundays, however, the service beyond Lowmoor will run every two hours.

"It is not everything we asked for, but it is a great deal better than what was on the table,"
said Gwen Pryce, who organised a petition in Stenby that gathered more than 600 signatures, in
a village of around 1,400 people.

## Other changes to watch

- Routes 7 and 8 will merge into a single route, the 7, running every ten minutes between the
  bus station and Cobble Hill.
- The 22 will no longer serve the railway station directly; passengers will change to the 14 at
  the Corn Exchange.
- A new route, the 40, will run across the city from Fenwick Park to the university without
  going through the centre.
- All-day tickets will be valid on the new valley minibus at no extra cost.

The authority will publish full timetables six weeks before the first stage begins. Printed
copies will be available at libraries and at the bus station travel centre, and staff will be
on hand at the busiest stops during the first week to help passengers find their way.

We will update this article when the timetables are published. If your route is changing and
you would like to tell us how it affects you, please get in touch.
""",
        "days_ago": 0.4,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of coloured lines crossing and looping like a transit map"
            ),
            "caption": "Illustration: a tangle of routes, simplified.",
        },
        "editor_comments": [
            (
                "Note: Several readers asked about the 22. The authority has told us the "
                "change at the Corn Exchange will be timed so that the connection to the 14 "
                "is no more than five minutes. We will check once the timetables are out. — "
                "T.R."
            ),
        ],
        "comments": [
            {
                "name": "Gwen P.",
                "body": (
                    "Thank you for setting this out so clearly. The Stenby change is a real "
                    "win for the people who signed."
                ),
                "replies": [
                    {
                        "name": "Alf",
                        "body": (
                            "Hourly is fine on weekdays but losing the Sunday service "
                            "matters to those of us who visit family in town."
                        ),
                        "replies": [
                            {
                                "name": "Gwen P.",
                                "body": (
                                    "Agreed, Alf. We'll keep pushing on Sundays. It's in the "
                                    "authority's review list for next year."
                                ),
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Hamid",
                "body": (
                    "The 40 is long overdue. Getting from Fenwick Park to the university "
                    "currently means going *into* town and back out again."
                ),
                "replies": [],
            },
            {
                "name": "Lorraine T.",
                "body": (
                    "Changing at the Corn Exchange with shopping bags and a toddler is not "
                    "my idea of an improvement for the 22."
                ),
                "replies": [],
            },
            {
                "name": "S. Nakamura",
                "body": (
                    "Fewer routes, more frequent, is generally the right approach. There's a "
                    "good explainer on why here: [frequency is "
                    "freedom](https://example.org/transit/frequency)."
                ),
                "replies": [
                    {
                        "name": "Lorraine T.",
                        "body": (
                            "In theory. In practice it depends on whether the buses actually "
                            "turn up every ten minutes."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Ash",
                "body": (
                    "Late buses on Friday and Saturday are great news for those of us who "
                    "work in kitchens on the waterfront."
                ),
                "replies": [],
            },
            {
                "name": "Wendy",
                "body": (
                    "Is the Ashcombe loop going to be step-free at all stops? My mum uses a "
                    "wheelchair."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 120, "x": 44, "whatsapp": 58, "reddit": 17, "email": 15, "copy": 22},
    },
    {
        "title": "Valley towns sign shared recycling contract for the first time",
        "section": "region",
        "author": "amara-quist",
        "topics": ["environment", "council"],
        "brief": (
            "Four valley councils will share a single recycling contract from next spring, "
            "promising one set of bins, one collection calendar and, they hope, less "
            "confusion about what goes where."
        ),
        "body": """Four small councils in the valley north of Harborview have agreed to share a
single recycling and waste contract for the first time, ending a patchwork of arrangements that
meant households a few streets apart could have different bins, different collection days and
different rules about what could be recycled.

Ashford Green, Lowmoor, Stenby and Upper Dene signed the joint contract this month. It will
come into force next spring and run for eight years. Together, the four councils serve around
38,000 households.

Until now, each council has run its own arrangements. Ashford Green has a three-bin system with
separate glass collections, while Stenby collects mixed recycling in a single bin but does not
take glass at all. Lowmoor residents can put food waste out for weekly collection; in Upper
Dene, there is no food waste service.

"You could stand on the bridge at Lowmoor and see three different coloured recycling bins from
where you were standing," said Ellen Marsh, who chairs the joint waste committee set up by the
four councils. "People moving between the towns had no idea what to do. Some gave up trying."

## One system for everyone

Under the new contract, every household in the four towns will have the same set of containers:

- A blue bin for paper, card, cans and plastic bottles, collected every two weeks.
- A small green box for glass, collected every two weeks alongside the blue bin.
- A lidded caddy for food waste, collected weekly.
- A grey bin for general waste, collected every two weeks.

Garden waste will continue to be available as an optional paid service. The councils say the
food waste collection, which will be new for three of the four towns, should reduce the amount
of rubbish sent to landfill by around a fifth.

## Savings and doubts

The joint contract is expected to save the four councils a combined £1.1 million a year
compared with their previous arrangements, mainly because a single contractor can plan more
efficient collection rounds across council boundaries. A new depot will be built on an
industrial estate outside Lowmoor, reducing the distance lorries travel to empty their loads.

Not everyone is convinced. Some residents in Ashford Green, which already had one of the higher
recycling rates in the region, worry that moving paper and cans into the same bin will reduce
the quality of what is collected. Recycling experts have long argued that mixing materials can
lead to more contamination, which makes some loads harder to sell.

Dr Fiona Gallagher, who studies waste systems at Harborview University, said the evidence was
mixed. "Separate collections usually give cleaner material, but they are also harder for people
to use, and participation tends to be lower," she said. "Where a simpler system gets more
people recycling correctly, it can come out ahead overall. The detail of how it is communicated
really matters."

The councils plan to deliver new containers during the winter, along with a printed guide and a
single collection calendar for the whole valley. Old bins will be collected and recycled.
Residents with limited space, such as those in terraced houses without front gardens, will be
able to request smaller bins or reusable sacks.

The joint committee will publish recycling rates for each town every quarter after the switch.
Ms Marsh said the councils had agreed to review the arrangements after two years, including the
question of whether paper should be collected separately.

"We are not pretending this is perfect," she said. "But a system people understand and use is
better than a perfect one they ignore."
""",
        "days_ago": 7.25,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Kath",
                "body": (
                    "Food waste collection in Stenby at last! We've been composting what we "
                    "can but the bones and scraps had nowhere to go."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 19, "email": 4},
    },
    {
        "title": "Old ferry terminal to become a covered market hall, planning board says",
        "section": "city",
        "author": "helen-ashdown",
        "topics": ["waterfront", "small-business", "history"],
        "brief": (
            "The planning board has approved a scheme to turn the derelict ferry terminal "
            "into a market hall with stalls, workshops and a public roof terrace, keeping "
            "the building's 1930s clock tower."
        ),
        "body": """The old ferry terminal on the western end of the harbour, empty since the
last cross-bay sailing left more than twenty years ago, will be converted into a covered market
hall after the city's planning board approved the scheme on Wednesday.

The plans, drawn up by a community benefit society formed by local traders and residents, will
keep the terminal's distinctive clock tower and the steel-framed waiting hall, while adding a
mezzanine floor for workshops and a public terrace on the roof overlooking the water. The
ground floor will house around 45 market stalls selling food, crafts and household goods.

The board approved the application unanimously, subject to conditions on noise, opening hours
and the treatment of the building's original tiled walls.

## A building with a long memory

The terminal opened in 1934 to serve the ferries that crossed the bay to Saltmarsh and the
islands. At its peak in the 1960s, it handled more than a million passengers a year, many of
them holidaymakers heading to Greyhaven island in the summer. The opening of the coast road
bridge in the 1970s gradually drew traffic away, and the last scheduled cross-bay ferry sailed
in the winter of 2003.

Since then, the building has had several near-misses. A plan to convert it into flats stalled
during the financial crisis, and a proposal for a hotel was withdrawn after the developer went
into administration. For the last decade it has been boarded up, its clock stopped at twenty
past four.

Margaret Lindqvist, who worked in the terminal's ticket office as a teenager, spoke at the
planning meeting in favour of the scheme. "I have walked past it every day for twenty years and
watched it go green with moss," she said. "Anything that lets people back inside that hall
would make me very happy. A market, where you can buy a loaf and sit by the window watching the
boats, seems about right."

## How the project will be paid for

The community benefit society, called Terminal Market, has raised around £640,000 through a
community share offer, with more than 1,900 people buying shares. The remainder of the
estimated £4.8 million cost will come from a heritage grant, a loan from a social investment
fund and a contribution from the city council, which owns the building and will grant the
society a 99-year lease at a nominal rent.

Stallholder rents will be set below those of comparable city-centre retail space, and a quarter
of the stalls will be reserved for new businesses in their first two years of trading. The
society says any surplus will be reinvested in the building or used to support local food and
craft producers.

"We want it to be a place where you can start something," said Owen Adeyemi, the society's
chair. "A stall is a much smaller risk than a shop. If this helps a few people take that first
step, it will have done its job."

The planning board's conditions include:

1. The market must close by 10pm, with amplified music ending by 9pm.
2. The original glazed wall tiles in the waiting hall must be cleaned and retained wherever
   possible.
3. Deliveries must use the existing service yard rather than the harbour road.
4. The clock in the tower must be restored to working order before the market opens.

The fourth condition drew the loudest reaction in the public gallery. Work is expected to begin
in the new year, with the market opening in around eighteen months if all goes to plan.
""",
        "days_ago": 21.45,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a tall rectangle and circle in cream and rust "
                "tones above rippling lines"
            ),
            "caption": "Illustration: a clock tower by the water, in abstract.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Margaret L.",
                "body": (
                    "I'm going to be first in the queue the day that clock starts ticking again."
                ),
                "replies": [],
            },
            {
                "name": "Theo",
                "body": "Bought two shares. Delighted it's gone through.",
                "replies": [
                    {
                        "name": "Anya",
                        "body": "Same! Does anyone know when the first shareholders' meeting is?",
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 88, "x": 21, "whatsapp": 12, "email": 10},
    },
    {
        "title": "City counts more than 1,100 empty flats above its shops",
        "section": "city",
        "author": "tomas-reyes",
        "topics": ["housing", "council"],
        "brief": (
            "A survey of the city's high streets has found 1,140 empty flats and storerooms "
            "above shops. The council wants to bring a fraction of them back into use as "
            "homes, but the obstacles are stubborn."
        ),
        "body": """A street-by-street survey commissioned by Harborview City Council has found
1,140 empty or underused flats and upper-floor rooms above shops in the city's main shopping
streets, at a time when more than 3,000 households are on the waiting list for social housing.

The survey, carried out over the winter by a team of planning students and council officers,
covered the city centre and six district high streets, including Northgate, Cobble Hill and the
parade at Fenwick Park. Surveyors looked at each building from the street and, where owners
agreed, from inside.

They found that around two thirds of the empty space had once been used as homes and could, in
principle, be lived in again. The rest was being used for storage or had never been
residential.

## Why the rooms are empty

The report identifies a handful of reasons that come up again and again. The most common is
access. Many older shop buildings were remodelled in the 1970s and 1980s, when shopfronts were
extended and the separate front doors that once led to upstairs flats were removed. Without a
separate entrance, the only way upstairs is through the shop.

Other obstacles include fire regulations, which require escape routes that many older buildings
lack; the cost of bringing long-empty rooms up to modern standards; and the reluctance of some
owners, particularly national retail chains and absentee landlords, to take on the
responsibility of being residential landlords.

"It is not that anyone has decided to leave these rooms empty," said Aisha Brown, the council's
head of housing strategy. "It is that nobody has had a reason to do the work. Our job is to
change that calculation."

## What the council proposes

The council has set a target of bringing 150 of the empty flats back into use as homes over
five years. To do that, it proposes a mix of carrots and, more cautiously, sticks:

- Grants of up to £25,000 per flat to help owners reinstate separate entrances and meet fire
  safety requirements, in return for letting at below-market rents for ten years.
- A free design service, run with the university's school of architecture, to show owners what
  their upper floors could become.
- A leasing scheme in which the council manages the flat on the owner's behalf, taking away the
  day-to-day work of being a landlord.
- Stricter use of existing powers to charge higher council tax on homes that have been empty
  for more than two years.

The council says a similar scheme in a comparable city elsewhere brought around 200 flats back
into use over seven years. The total cost of the Harborview programme is estimated at £4.2
million, around half of which would come from a regional housing fund.

Reaction from shop owners has been cautiously positive. Ravi Sandhu, who runs a newsagent on
Northgate High Street and owns the two floors above it, said he had looked into converting the
upstairs rooms several times but had been put off by the cost of a new staircase and fire door.

"If someone will help with that, I'd do it tomorrow," he said. "It's a waste. My grandmother
lived up there when I was a boy."

Others were more wary. One landlord who owns several buildings in the city centre, and asked
not to be named, said the prospect of higher council tax felt like a penalty for circumstances
beyond owners' control.

The proposals will go to the housing committee next month. If approved, the grant scheme could
open to applications by the autumn.
""",
        "days_ago": 36.7,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Elspeth",
                "body": (
                    "The separate entrance problem is real. So many of the old doors on "
                    "Cobble Hill were bricked up."
                ),
                "replies": [],
            },
            {
                "name": "Ray",
                "body": (
                    "150 in five years is modest, but modest and achievable is better than a "
                    "grand target nobody meets."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 31, "facebook": 45, "linkedin": 8, "email": 6},
    },
    {
        "title": "Street tree survey finds one in five new saplings lost to drought",
        "section": "city",
        "author": "amara-quist",
        "topics": ["parks", "environment"],
        "brief": (
            "Volunteers who checked every young street tree planted in the last three years "
            "found that around a fifth had died, most during last summer's dry spell. The "
            "parks team is changing how it waters and what it plants."
        ),
        "body": """Around one in five of the young trees planted on Harborview's streets over
the past three years has died, according to a survey carried out by volunteers this spring,
with most of the losses blamed on last summer's long dry spell.

The survey was organised by the Harborview Tree Wardens, a volunteer group that works with the
council's parks team. Over six weekends, around 80 volunteers visited 2,416 street trees
planted since the council's planting programme began, recording whether each one was alive,
struggling or dead.

They found 487 trees dead or missing, and a further 300 or so showing signs of stress, such as
thin canopies, scorched leaves or bark damage. Losses were highest on wide, busy roads with
little shade and in places where the trees had been planted into small pits surrounded by
paving.

"It's not a surprise to anyone who looks after young trees, but it is sobering to see it laid
out street by street," said Hannah Okafor, who coordinates the wardens. "A sapling is at its
most vulnerable in the first three years. If it doesn't get water in a dry summer, it simply
gives up."

## What went wrong

The council's planting programme has put more than 2,000 trees into the ground across the city
since it began, with the aim of increasing tree cover in neighbourhoods that have few street
trees. Each new tree is supposed to be watered regularly during its first three summers, either
by the council's contractor or by residents who have signed up to adopt a tree.

Last summer, the city went 41 days without significant rain. The parks team says its watering
contractor could not keep up, and that many trees adopted by residents were missed when people
went on holiday or when hosepipe restrictions were introduced.

Tomasz Nowak, who manages the city's parks and open spaces, said the survey was valuable and
that the department would learn from it. "We would much rather know than not know," he said.
"The volunteers have done in six weekends what would have taken our own staff several months."

## Changing the approach

The parks team has outlined several changes in response:

- Fitting slow-release watering bags to every tree in its first two summers, which hold around
  75 litres and release it gradually over several days.
- Planting more drought-tolerant species on exposed streets, including some from warmer parts
  of Europe that are better suited to longer dry spells.
- Using larger planting pits with soil cells beneath the pavement, giving roots more room and
  access to water.
- Concentrating future planting in autumn and winter, so trees have longer to establish before
  their first summer.

The dead trees will be replaced free of charge under the planting contractor's guarantee,
though the council says it will wait until autumn to replant rather than putting new saplings
into the ground at the start of summer.

Not everyone is comfortable with the move towards non-native trees. Some members of the city's
natural history society have argued that native species support far more insects and birds, and
that the answer is better care rather than different trees.

Dr Samuel Idowu, an urban ecologist at Harborview University, said the choice was not
either-or. "Parks and larger green spaces can and should be dominated by native trees, where
they have room to thrive," he said. "On a hot, narrow street with a tiny pit and a bus stop
next to it, you need something tough. A living non-native tree does more good than a dead
native one."

The Tree Wardens plan to repeat the survey every spring. Residents who want to adopt a street
tree can sign up through the council's parks pages, and the group is looking for more
volunteers for the summer watering rota.
""",
        "days_ago": 45.1,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of thin green and brown vertical strokes against a "
                "pale yellow field"
            ),
            "caption": "Illustration: young trees in a dry summer.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Hannah O.",
                "body": (
                    "Thanks for writing this up. The summer watering rota sign-up is open "
                    "now, and we especially need people in Northgate and Kettle Cross."
                ),
                "replies": [],
            },
            {
                "name": "Piotr",
                "body": (
                    "I adopted the lime tree outside our house and it survived, but only "
                    "because our neighbour watered it while we were away. *Thank you, Mrs "
                    "D!*"
                ),
                "replies": [],
            },
            {
                "name": "Grainne",
                "body": (
                    "Really glad to see the point about bigger pits. The tiny squares cut "
                    "into paving always looked like a death sentence."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 29, "x": 12, "email": 3},
    },
    {
        "title": "Viaduct repairs will close the coast line for three weekends",
        "section": "region",
        "author": "tomas-reyes",
        "topics": ["transport"],
        "brief": (
            "No trains will run between Harborview and Saltmarsh on three weekends next "
            "month while engineers replace bearings on the Carrow viaduct. Replacement buses "
            "will take around 25 minutes longer."
        ),
        "body": """Trains between Harborview and Saltmarsh will not run on three weekends next
month while engineers carry out repairs to the Carrow viaduct, the 19th-century stone and iron
bridge that carries the coast line across the Carrow estuary.

The line will close from late on Friday evening until the first train on Monday morning on each
of the three weekends. Replacement buses will run between Harborview station, Carrow village
and Saltmarsh, calling at the intermediate stations where roads allow. The rail operator says
the bus journey will take around 25 minutes longer than the train.

## What the work involves

The viaduct, which has 14 arches and was completed in 1868, is one of the oldest structures
still in daily use on the regional rail network. Inspections last year found that several of
the bearings, the metal components that allow the iron deck to expand and contract with changes
in temperature, had worn beyond acceptable limits.

Replacing them requires the track to be lifted and the deck supported on temporary jacks, work
that cannot be done while trains are running. Engineers will also repair sections of the stone
parapet and replace drainage channels that have become blocked, causing water to seep into the
masonry.

"The viaduct is in good health for its age, but it is 150 years old and it needs looking
after," said Karen Whitfield, a senior engineer with the rail infrastructure body. "Doing this
now means we avoid a much longer closure later. It's a bit like replacing the washers in a tap
before the whole thing floods the kitchen."

## Advice for passengers

The rail operator is advising passengers to allow extra time and to check journeys before
travelling. Bicycles will not be carried on the replacement buses, except for folding bikes.
Passengers with reduced mobility can book accessible taxis between stations free of charge
through the operator's assistance line, ideally 24 hours in advance.

Businesses in Saltmarsh, which relies heavily on weekend day trippers in spring and summer,
have expressed some concern about the timing. The village's traders' association had asked for
the work to be moved to the winter, but the rail body said the bearings could not safely wait
that long and that the work needed dry weather for the masonry repairs.

As a small consolation, the operator says it will run extra trains on the Sunday evenings
immediately before and after the closures, and Saltmarsh's traders are planning a "bus weekend"
promotion with discounts for anyone who shows a replacement bus ticket.

Walkers who use the estuary path beneath the viaduct should also expect short diversions while
scaffolding is in place around the two arches nearest the village. Signs will be posted at both
ends of the path, and marshals will be on hand during the busiest periods.

Further closures are not expected on the line until at least next year, when work is planned on
the signalling between Carrow and the coast.
""",
        "days_ago": 12.3,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Mo",
                "body": "The 'bus weekend' discount is a nice touch. Might take the kids anyway.",
                "replies": [],
            },
        ],
        "shares": {"x": 15, "facebook": 22, "whatsapp": 9},
    },
    {
        "title": "Orchard growers count the cost of a late frost",
        "section": "region",
        "author": "devon-hale",
        "topics": ["food", "weather", "jobs"],
        "brief": (
            "A hard frost in the valley at the height of blossom has wiped out much of this "
            "year's plum crop and damaged early apples. Growers say they will survive, but "
            "seasonal jobs will be fewer."
        ),
        "body": """Fruit growers in the Dene valley are counting the cost of a hard frost that
struck in the early hours of a Tuesday last month, at exactly the moment the region's plum and
early apple trees were in full blossom.

Temperatures in the lower valley dropped to minus three degrees between 2am and dawn, according
to readings from a weather station on a farm near Upper Dene. That was enough to kill the
delicate flowers on many trees, and with them the chance of fruit.

"You go out in the morning and the blossom looks fine from a distance," said Peter Harrowby,
whose family has grown fruit on the slopes above Ashford Green for four generations. "Then you
cut one open and the middle is brown. That's it. That flower isn't going to become a plum."

Mr Harrowby estimates he has lost around 80 per cent of his plum crop and perhaps a third of
his early apples. Later-flowering apple varieties, which were still in bud when the frost
struck, appear to have escaped largely unharmed.

## A valley built on fruit

The Dene valley has been known for its orchards since at least the 18th century, and fruit
growing remains an important part of the local economy, even if the number of commercial
orchards has fallen sharply since the 1960s. Today around 30 farms grow fruit commercially in
the valley, most of them family businesses supplying local shops, farmers' markets and a cider
maker in Lowmoor.

The valley's microclimate usually protects it. Cold air drains downhill on still nights, and
most orchards are planted on slopes where the air keeps moving. This year's frost was unusual,
growers say, because it came with a light breeze from the north-east that pushed cold air up
the slopes as well as down them.

Several growers tried to protect their trees overnight. Some lit small burners between the
rows, while others ran sprinklers, which can protect blossom by coating it in a thin layer of
ice that holds the temperature close to freezing. Both methods helped in places, but not enough
to save most of the early crop.

## Fewer hands needed

The frost will have knock-on effects beyond the orchards. Each summer, the valley's growers
employ several hundred seasonal workers to pick and pack fruit, many of them students and young
people from the valley towns. With a much smaller plum harvest, many of those jobs will not be
needed this year.

Jess Whitcombe, who runs a packhouse near Lowmoor that handles fruit from a dozen farms, said
she expected to take on around half the usual number of seasonal staff. "We'll look after our
regulars as best we can, but there's only so much work when the fruit isn't there," she said.

The Lowmoor cider maker, which buys apples from across the valley, said it expected to be less
affected because most of its varieties flower later. It has offered to buy damaged and
misshapen fruit that would normally be rejected by shops.

Growers say late frosts are not new, but several believe they have become harder to predict as
warm spells in early spring bring blossom forward. A mild March means trees flower earlier,
which leaves them exposed for longer to the cold snaps that still arrive in April.

Researchers at Harborview University are working with six farms in the valley on a project to
install small frost sensors in orchards, which send alerts to growers' phones when temperatures
at blossom height approach danger levels. The aim is to give growers enough warning to act.

"It's not going to stop frost," said Mr Harrowby. "But if I know at midnight rather than at
dawn, I can at least do something about it."

For now, growers are hoping for a good year for later apples, pears and cherries, most of which
flowered after the cold night. Farm shops in the valley say they will still have local fruit
this summer, just rather less of it, and plum jam may be in short supply.
""",
        "days_ago": 18.55,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of pale pink dots scattered across a frosty "
                "blue-white ground"
            ),
            "caption": "Illustration: blossom and frost.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Elaine",
                "body": (
                    "Heartbreaking. We buy from the Harrowbys every year. Will make a point "
                    "of going to the farm shop this summer anyway."
                ),
                "replies": [],
            },
            {
                "name": "Callum",
                "body": (
                    "Picked plums there two summers as a student. Hope the regulars are "
                    "looked after."
                ),
                "replies": [
                    {
                        "name": "Jess W.",
                        "body": (
                            "We'll do our best, Callum. Some picking shifts will move to the "
                            "cherry harvest."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 33, "x": 7, "email": 4},
    },
    {
        "title": "Rural clinics try weekend opening with a shared nursing team",
        "section": "region",
        "author": "amara-quist",
        "topics": ["health"],
        "brief": (
            "Three GP surgeries in the valley are pooling nurses to open on Saturday "
            "mornings. The aim is to take pressure off the hospital's emergency department, "
            "where weekend waits have grown."
        ),
        "body": """Three small GP surgeries in the valley towns have started opening on
Saturday mornings, sharing a single team of nurses and a rotating duty doctor, in a trial aimed
at keeping people out of the hospital's emergency department at weekends.

The surgeries at Ashford Green, Lowmoor and Stenby will each open from 8.30am to 12.30pm on
alternate Saturdays, with at least one of the three open every week. Patients registered at any
of the three can book appointments at whichever surgery is open, by phone or online.

The trial is being paid for by the regional health board and will run for a year. If it works,
the board says it could be extended to other rural practices.

## Why weekends matter

Staff at Harborview General's emergency department have long reported that weekend attendances
include a significant number of people with conditions that could be handled by a GP or nurse,
such as minor infections, dressings that need changing, and prescription problems.

For people in the valley, the nearest alternative at weekends has been the out-of-hours service
in the city, a drive of up to 40 minutes from Stenby, or an often lengthy wait for a call-back
from the phone line.

"People don't go to the emergency department because they want to," said Dr Nkechi Fraser, a GP
in Lowmoor who helped design the trial. "They go because it's the only door that's open. If we
can open another door closer to home, most of them will happily walk through it."

## How the shared team works

The trial relies on four practice nurses who have agreed to work across all three surgeries,
along with a rota of GPs from each practice. Patient records are shared between the surgeries
through the existing regional system, and prescriptions can be sent electronically to
pharmacies in any of the three towns.

On a typical Saturday, the open surgery offers around 40 appointments, roughly half with a
nurse and half with the doctor. Early figures suggest most are being used for:

- Minor illnesses and infections, including children's ear and chest infections.
- Wound care and dressings for people recently discharged from hospital.
- Blood pressure checks and medication reviews that patients struggle to fit into the working
  week.
- Urgent prescription issues.

Patients have so far been positive. Margaret Hollins, 71, from Stenby, brought her husband to
the Lowmoor surgery on the first Saturday after he developed a painful infection on his leg.
"The last time this happened we sat in the hospital for six hours," she said. "This time we
were in and out in half an hour and home for lunch."

The main risk, according to the health board, is staff burnout. GPs in rural areas already work
long hours, and adding Saturday shifts could make it harder to recruit and retain doctors. The
trial pays staff at enhanced rates for weekend work, and participation is voluntary.

The health board will measure the trial's success partly by the number of valley residents
attending the emergency department at weekends, which it will compare with the same period last
year. Results are expected to be published next spring.
""",
        "days_ago": 27.4,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [],
        "shares": {"facebook": 41, "email": 6},
    },
    {
        "title": "Greyhaven ferry adds an early sailing for island commuters",
        "section": "region",
        "author": "devon-hale",
        "topics": ["transport", "waterfront"],
        "brief": (
            "A new 6.40am sailing from Greyhaven will let islanders reach the city before "
            "8am for the first time. The operator says it will run until at least next "
            "spring and keep it if numbers hold up."
        ),
        "body": """Islanders on Greyhaven will be able to reach Harborview before eight in the
morning for the first time, after the ferry operator agreed to add an early sailing on weekdays
from the start of next month.

The new service will leave Greyhaven's pier at 6.40am and arrive at the Eastern Pier in
Harborview at 7.25am, in time for passengers to connect with buses and trains into the city
centre. Until now, the first weekday crossing has left the island at 7.50am, arriving after
8.30am, which islanders say has made it difficult to hold down a job on the mainland with a
standard start time.

"For years the choice has been: stay on the island and find work here, which is hard, or move
off the island," said Rhona MacAulay, who chairs Greyhaven's community council. "An earlier
boat doesn't solve everything, but it means a nurse, a teacher or a shop worker can live here
and work in the city. That matters enormously for keeping families on the island."

## A long campaign

Greyhaven, about five miles off the coast, has a year-round population of around 620 people,
rising to several thousand in summer with holiday visitors. The island has a primary school, a
shop, a pub, a small harbour and a surgery visited by a doctor twice a week. Secondary school
pupils already travel to the mainland daily on a separate school boat.

The community council has campaigned for an earlier sailing for almost a decade. A survey it
carried out last year found that 54 islanders of working age would use an early ferry at least
three days a week, and that several families had considered leaving the island because of the
difficulty of commuting.

## Costs and conditions

The operator said the extra sailing would cost around £180,000 a year to run, including crew,
fuel and maintenance, and that the regional transport authority had agreed to cover part of the
cost for an initial period. It will review passenger numbers next spring.

"We've been clear with the community that this needs to be used," said Gordon Reid, the
operator's managing director. "If people turn up, we'll keep running it. We'd like nothing
more."

Islanders have already started a shared spreadsheet to coordinate car parking near the Eastern
Pier, where space is limited, and a small group is talking to the city council about a reserved
area for ferry commuters.

The new sailing will run on weekdays only, excluding public holidays. Tickets will be available
on board and through the operator's existing season-ticket scheme, which offers a discount of
around 40 per cent for regular travellers.

For Ms MacAulay, the first morning cannot come soon enough. "We will have a few people on that
boat on day one who have been waiting years for it," she said. "I suspect there may be a flask
of tea or two on the pier to see them off."
""",
        "days_ago": 39.15,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a small white triangle on broad horizontal stripes "
                "of dawn pink and grey-blue"
            ),
            "caption": "Illustration: an early crossing.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Rhona M.",
                "body": (
                    "Thank you to everyone who filled in our survey. This would not have "
                    "happened without you."
                ),
                "replies": [],
            },
            {
                "name": "Fergus",
                "body": (
                    "Parking at the Eastern Pier is the next fight. It's already full by 8 "
                    "in summer."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 56, "whatsapp": 24, "email": 3},
    },
    {
        "title": "Consultation opens on plans for a wind farm on Harrow Ridge",
        "section": "region",
        "author": "amara-quist",
        "topics": ["energy", "environment"],
        "brief": (
            "A community energy group wants to build seven turbines on the ridge above the "
            "valley, with profits shared among nearby households. A twelve-week consultation "
            "begins this week."
        ),
        "body": """A twelve-week public consultation has begun on plans to build a
seven-turbine wind farm on Harrow Ridge, the exposed upland that separates the Dene valley from
the coast. The project is being proposed by a community energy cooperative rather than a
commercial developer, and its backers say it could supply the equivalent of around 14,000 homes
with electricity.

Harrow Ridge Energy, which was set up four years ago by residents of Upper Dene and Stenby,
says the wind farm would be owned by local members, with profits used to fund energy efficiency
projects and a community fund for the villages closest to the turbines. It has already raised
around £300,000 from members to pay for early studies.

The consultation includes a series of drop-in events in the valley towns, an online map showing
where each turbine would be placed, and photographs showing how they would look from more than
twenty viewpoints across the region.

## The proposal in detail

The plans show seven turbines, each up to 125 metres tall to the tip of the blade, arranged in
a loose line along the northern edge of the ridge. The site is currently used for sheep grazing
and is crossed by two public footpaths, both of which would remain open.

The cooperative says the turbines would be set back at least 1.2 kilometres from the nearest
house, further than the minimum distances typically required. A new access track would be built
from the Stenby road, and power would be carried to the grid by an underground cable running
along the valley floor to an existing substation near Lowmoor.

The cooperative's chair, Dr Ingrid Sorensen, a retired physics teacher, said the group had
deliberately started talking to neighbours long before submitting a planning application. "We
live here too," she said. "We walk the same paths and look at the same view. We want this to be
something the valley is proud of, not something that is done to it."

## Supporters and sceptics

Early reaction has been mixed, as it usually is with wind farms. Supporters point to the
benefits of generating clean electricity locally and keeping the profits in the area. Under the
cooperative's plans, households within three kilometres of the turbines would be offered a
discount on their electricity bills, and the community fund would distribute an estimated
£200,000 a year.

"My children will grow up in a valley that makes its own power and benefits from it," said
Tariq Mahmood, a farmer in Upper Dene whose land adjoins the site. "I find that much easier to
accept than power stations somewhere I'll never see."

Opponents, organised under the name Keep Harrow Ridge, say the turbines would dominate one of
the finest views in the region and could harm wildlife, including birds of prey that hunt along
the ridge. Its spokesperson, Alison Trent, said the group was not against renewable energy but
believed the ridge was the wrong place.

"You can see Harrow Ridge from the coast, from the valley, from half the city on a clear day,"
she said. "It is a landmark. Putting seven turbines along its crest changes the character of
the whole landscape."

Ecological surveys commissioned by the cooperative found that the site is used by buzzards,
kestrels and, occasionally, a pair of hen harriers, a scarce species that nests on moorland to
the north. The cooperative says it has moved two turbines further from areas where harriers
were seen hunting, and will fund monitoring for the life of the wind farm.

Much of the debate is likely to centre on how the turbines would look. The cooperative's
visualisations show the turbines clearly visible from the valley floor and from the coast road,
though less prominent from the city, where they would appear as small vertical lines on the
horizon.

The regional landscape partnership, an advisory body, said in an initial response that it had
"significant concerns" about the effect on views from the coastal path, but welcomed the
decision to publish photographs from a wide range of viewpoints, including several suggested by
opponents.

The consultation runs for twelve weeks. Drop-in events will be held in village halls in all
four valley towns and at the central library in Harborview, with members of the cooperative and
its consultants available to answer questions. Written responses can be submitted by post or
online.

After the consultation closes, the cooperative says it will publish a summary of every issue
raised and explain how it has responded before deciding whether to submit a planning
application. If it does, the final decision would rest with the regional planning authority,
which would run its own consultation.

Some residents have asked for an independent meeting, chaired by someone with no connection to
either side, where supporters and opponents can put questions to experts in the same room. Both
the cooperative and Keep Harrow Ridge said they would welcome such an event, and the valley's
four councils are discussing how it might be organised.
""",
        "days_ago": 52.35,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of slender white lines standing on a rolling green "
                "and purple horizon"
            ),
            "caption": "Illustration: the ridge, with a few vertical strokes added.",
        },
        "editor_comments": [
            (
                "Clarification: The cooperative's bill discount would apply to households "
                "within three kilometres of the nearest turbine, not within three kilometres "
                "of the site boundary, as an earlier version implied. — A.Q."
            ),
        ],
        "comments": [
            {
                "name": "Ingrid S.",
                "body": (
                    "Thank you for a balanced article. The visualisations are all online and "
                    "we'd really encourage people to look at the ones from their own part of "
                    "the valley."
                ),
                "replies": [],
            },
            {
                "name": "Alison T.",
                "body": (
                    "Appreciate that our concerns were reported fairly. We'd urge everyone "
                    "to walk the ridge path before forming a view."
                ),
                "replies": [],
            },
            {
                "name": "Benji",
                "body": "Community-owned is the key phrase for me. The money stays here.",
                "replies": [
                    {
                        "name": "Clare M.",
                        "body": (
                            "If it actually makes a profit. Small cooperatives can struggle "
                            "with maintenance costs."
                        ),
                        "replies": [
                            {
                                "name": "Benji",
                                "body": (
                                    "True, but there are plenty that have done well for "
                                    "twenty years or more. Worth reading up on."
                                ),
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Walter",
                "body": (
                    "I'd love to know more about the hen harriers. Has anyone done a proper count?"
                ),
                "replies": [],
            },
            {
                "name": "Yusuf",
                "body": (
                    "An independent meeting chaired by a neutral person is a great idea. "
                    "More of this please."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 74, "x": 39, "reddit": 11, "email": 9, "linkedin": 5},
    },
    {
        "title": "Harborview shipyard wins order for two electric harbour tugs",
        "section": "business",
        "author": "devon-hale",
        "topics": ["jobs", "energy", "waterfront"],
        "brief": (
            "Calder & Rowe, the last working shipyard on the harbour, will build two "
            "battery-powered tugs for a northern port authority. The order secures around "
            "140 jobs and could lead to 40 more."
        ),
        "body": """Harborview's last working shipyard has won a contract to build two
battery-electric harbour tugs, an order that will secure around 140 jobs for at least two years
and that its managers hope will mark a turning point for a business that has spent much of the
past two decades fighting to survive.

Calder & Rowe, which has built and repaired vessels on the northern shore of the harbour since
1887, will build the tugs for a port authority further up the coast. Each vessel will be around
28 metres long and able to push and pull ships of up to 60,000 tonnes, running on large battery
packs that are recharged from the shore between jobs. A small diesel generator will be carried
on board for emergencies and longer transits.

The yard would not disclose the value of the contract, but industry estimates put the cost of
comparable electric tugs at well over £10 million each.

## A yard that almost closed

The order is a significant moment for a yard that many in the city had written off. At its peak
in the 1950s, Calder & Rowe employed more than 3,000 people and launched cargo ships, ferries
and, during wartime, naval vessels. By the early 2000s, the workforce had fallen below a
hundred, and the yard was surviving on repair work and the occasional fishing boat.

In 2011, the company came close to closing altogether before it was bought by a group of its
own managers, backed by a regional investment fund. Since then, the yard has rebuilt slowly,
focusing on small, specialised vessels such as pilot boats, survey ships and workboats for
offshore wind farms.

"People used to ask me why I'd bothered," said Fiona Calder-Haig, the yard's managing director
and a distant descendant of one of its founders. "We did it because we believed there would be
a market for small, clever boats built by people who know what they're doing. This order says
we were right."

## Why electric tugs

Tugs are in some ways ideal candidates for battery power. They spend most of their working
lives within a few miles of their home port, operate in short bursts of intense activity, and
often sit idle for hours between jobs, giving time to recharge. Diesel tugs are also a
significant source of air pollution in ports, where they often work close to homes.

The port authority that placed the order says the new tugs will cut emissions from its towage
operations by more than 90 per cent, based on the current mix of electricity on the grid. They
should also be much quieter, which is expected to be welcomed by residents living near the
harbour.

Engineers at Calder & Rowe have been preparing for this kind of work for several years. The
yard built a small battery-hybrid pilot boat three years ago, which is now in service in
Harborview, and has trained a team of electricians in high-voltage marine systems.

The contract will keep the yard's current workforce of around 140 busy for at least two years,
and the company expects to hire up to 40 more people, including welders, electricians and
fitters. It also plans to take on a larger intake of apprentices this autumn.

Jake Donnelly, 19, who is in the second year of a fabrication apprenticeship at the yard, said
the news had changed the mood on the shop floor. "When I started, a lot of the older lads were
telling me to make sure I had a plan B," he said. "Now there's talk of what we'll be building
in five years. That's a different feeling."

The city council's economic development team welcomed the order, describing it as a sign that
the harbour could support skilled, well-paid manufacturing work. The yard's success has also
strengthened the case for the council's plans to upgrade the electrical supply to the northern
shore, which would be needed if more vessels were to be built or charged there.

The first steel for the new tugs is expected to be cut in the autumn, with the first vessel due
to be launched in about eighteen months. The yard says it intends to hold a public open day for
the launch, continuing a tradition that once drew thousands of people to the harbour.

"There's nothing quite like watching a boat go into the water for the first time," said Ms
Calder-Haig. "We want the city to share in that again."
""",
        "days_ago": 3.6,
        "featured": True,
        "cover": {
            "alt": (
                "Abstract illustration of a bold red hull shape against layered blue and "
                "green diagonal bands"
            ),
            "caption": "Illustration: a new hull takes shape.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Big Al",
                "body": (
                    "My granddad worked at Calder & Rowe for 40 years. He'd be chuffed to bits."
                ),
                "replies": [
                    {
                        "name": "Sheila",
                        "body": "Mine too! Riveter in the fifties. Maybe they knew each other.",
                        "replies": [],
                    },
                ],
            },
            {
                "name": "E. Varga",
                "body": (
                    "Good to see *skilled manufacturing* jobs rather than only warehouses. "
                    "Congratulations to the yard."
                ),
                "replies": [],
            },
            {
                "name": "Nico",
                "body": (
                    "Genuinely curious how long the batteries last on a tough job. Anyone "
                    "know the spec?"
                ),
                "replies": [
                    {
                        "name": "Marine eng.",
                        "body": (
                            "Typically enough for several ship moves between charges. The "
                            "diesel backup covers the edge cases."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Anna-Lise",
                "body": "Open day for the launch please! I remember going as a kid.",
                "replies": [],
            },
        ],
        "shares": {"x": 66, "facebook": 103, "linkedin": 41, "whatsapp": 18, "email": 12},
    },
    {
        "title": "Lantern Row bookshop marks fifty years of turning pages",
        "section": "business",
        "author": "lena-marchetti",
        "topics": ["small-business", "history"],
        "brief": (
            "Pell & Daughter opened in a former chandler's shop in 1970 with a borrowed till "
            "and 400 books. Half a century on, it is run by the founder's granddaughter and "
            "busier than ever."
        ),
        "body": """When Arthur Pell opened a bookshop in a narrow former chandler's shop on
Lantern Row in the spring of 1970, he had a borrowed till, a secondhand ladder and around 400
books, most of them from his own shelves. Friends gave the business a year.

Fifty years later, Pell & Daughter is still there, still narrow, and, according to the
founder's granddaughter, busier than it has ever been. This weekend the shop will celebrate its
half-century with readings, a quiz and, in a nod to its origins, a stall of secondhand books
priced at what they would have cost in 1970.

"My grandfather used to say a bookshop is the only shop where people come in, stay an hour, buy
nothing, and you're still glad they came," said Isobel Pell, who took over the shop from her
mother seven years ago. "That's still true. Though I'm also glad when they buy something."

## From one room to three

The shop has grown gradually over the decades. In the 1980s, Arthur's daughter, Ruth Pell,
expanded into the room behind the shop, which had been used for storing rope, and turned it
into a children's section with a reading corner built from an old rowing boat. In 2004, the
shop took over the flat upstairs, which now holds secondhand and antiquarian books.

The rowing boat is still there, repainted several times and now worn smooth by three
generations of young readers. Several customers who sat in it as children now bring their own
children.

"I have a photo of myself in that boat aged about four," said Daniel Osgood, a teacher from
Cobble Hill, who was browsing with his daughter. "She's now the same age. It's slightly
unnerving how little it's changed."

## Surviving the hard years

Like many independent bookshops, Pell & Daughter has had difficult periods. The 1990s brought
competition from large chain stores, and the arrival of online retailers in the 2000s hit sales
hard. Ruth Pell recalls a winter around 2008 when the shop took so little money that she
considered closing for good.

What kept it going, she says, was a decision to lean into what an online retailer could not
offer. The shop started a programme of author events, began hosting book groups in the
evenings, and launched a subscription service in which customers receive a book chosen for them
each month based on a short conversation with the staff.

The subscriptions now account for around a fifth of the shop's turnover, with more than 300
regular subscribers, some as far away as the islands.

"People want to be surprised by something good," said Isobel Pell. "An algorithm can tell you
what people like you bought. We can tell you what we loved, and why we think you might too."

The shop now employs five people, including two part-time booksellers who are also students at
the university. Isobel Pell says the biggest challenge is not competition but rent, and she is
grateful that the building's owner, a family trust, has kept increases modest.

She has no plans for dramatic change. A small cafe corner was tried and abandoned in 2016 ("we
sold more coffee than books, and the books got sticky"), and she has resisted suggestions to
open a second branch.

"We're a narrow shop on a narrow street," she said. "That's the whole point."

The anniversary celebrations begin on Saturday morning. Readings will take place in the rowing
boat, for anyone small enough to fit.
""",
        "days_ago": 8.25,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of tall, narrow coloured bars in rows, like book "
                "spines on a shelf"
            ),
            "caption": "Illustration: fifty years of spines.",
        },
        "editor_comments": [
            (
                "Update: Because of demand, the shop has added a second afternoon of "
                "anniversary readings on Sunday. Places in the rowing boat remain strictly "
                "limited. — L.M."
            ),
        ],
        "comments": [
            {
                "name": "Orla",
                "body": (
                    "The subscription service is brilliant. They sent me a novel I'd never "
                    "have picked up and it's now one of my favourites."
                ),
                "replies": [],
            },
            {
                "name": "Daniel O.",
                "body": "Can confirm my daughter now refuses to leave the rowing boat.",
                "replies": [],
            },
            {
                "name": "Vikram",
                "body": "Best bookshop in the region. Happy 50th!",
                "replies": [],
            },
        ],
        "shares": {"facebook": 77, "x": 25, "email": 8, "copy": 4},
    },
    {
        "title": "High street vacancy rate falls for a third straight quarter",
        "section": "business",
        "author": "devon-hale",
        "topics": ["small-business", "jobs"],
        "brief": (
            "The share of empty shop units in Harborview's main shopping streets has dropped "
            "to 11.4 per cent, its lowest level in four years, driven mostly by small "
            "independent businesses."
        ),
        "body": """The proportion of empty shop units in Harborview's main shopping streets has
fallen for the third quarter in a row, according to figures published this week by the city
centre business partnership, and now stands at 11.4 per cent, its lowest level in four years.

The partnership counts vacant units across the city centre and the six district high streets
every three months. At its peak, three years ago, the vacancy rate reached 16.8 per cent, with
some streets, particularly in the older parts of the city centre, losing more than one in five
of their shops.

## Who is moving in

Most of the new occupants are small independent businesses rather than national chains. Of the
38 units that have been filled over the past year, 29 were taken by independents, including
cafes, a bicycle repair shop, two hairdressers, a children's clothing exchange and a specialist
tea merchant. Five were taken by charities or community groups, and four by regional or
national businesses.

"What we're seeing is that the shops that left were mostly the big names, and the shops coming
back are mostly local," said Nadia Ferris, the partnership's director. "That changes the feel
of a street. It's more varied and, frankly, more interesting."

Ms Ferris attributed part of the improvement to a scheme launched two years ago offering new
businesses reduced rents for their first year in certain empty units, with the landlords
compensated partly by the council. Around a dozen businesses have used the scheme, and all but
two are still trading.

## Not every street is recovering

The overall figures conceal significant differences. Northgate High Street now has only two
empty units, and Cobble Hill's vacancy rate has fallen below 8 per cent. But the stretch of
Market Street between the old department store and the bus station still has almost a quarter
of its units empty, and the department store itself, which closed three years ago, remains
boarded up.

Traders on Market Street say the street suffers from being neither quite in the centre nor a
neighbourhood high street. "People walk through it to get somewhere else," said Errol Thompson,
who runs a menswear shop on the street. "We need a reason for them to stop."

The council says it is in talks with the owners of the former department store about its
future, though no firm proposals have been made public.

The partnership warned that small businesses remain vulnerable to rising costs, particularly
energy and rents, and that some of the new openings might not survive their first few years. It
also pointed out that footfall in the city centre is still around 9 per cent below its level
five years ago, though it has been rising gradually.

Still, the mood among traders is better than it has been for some time. "Three years ago, I was
counting the empty windows every morning on my walk to work," said Mr Thompson. "Now I'm
counting the new ones opening. That's a nice change."
""",
        "days_ago": 16.45,
        "featured": False,
        "cover": None,
        "editor_comments": [
            (
                "Correction: An earlier version of this article said 32 of the 38 newly "
                "filled units were taken by independent businesses. The correct figure is "
                "29. — D.H."
            ),
        ],
        "comments": [
            {
                "name": "Jo",
                "body": "The tea merchant on Northgate is lovely. Go and say hello.",
                "replies": [],
            },
        ],
        "shares": {"linkedin": 14, "facebook": 20, "x": 8},
    },
    {
        "title": "Old telephone exchange reopens as a co-working hub",
        "section": "business",
        "author": "devon-hale",
        "topics": ["technology", "small-business"],
        "brief": (
            "The brick telephone exchange on Foundry Street, empty for twelve years, has "
            "reopened as shared office space for freelancers and small firms, with the old "
            "switch room now a meeting hall."
        ),
        "body": """A brick telephone exchange on Foundry Street, which once connected
Harborview's calls by hand and then by machine, has reopened as a shared workspace for
freelancers, start-ups and small businesses after a two-year renovation.

The building, known locally simply as the Exchange, was built in 1929 and housed rows of
operators at switchboards until the 1960s, when the system was automated. It continued to hold
telephone equipment until it was decommissioned twelve years ago, after which it stood empty
apart from a brief period as a storage depot.

Its new owners, a small local company called Foundry Works, have converted the three floors
into around 120 desks, a dozen small private offices, a workshop with hand tools and a 3D
printer, and a large meeting hall in the former switch room on the ground floor.

## Keeping the character

The renovation has kept many of the building's original features. The tall arched windows,
which were partly bricked up in the 1970s, have been reopened. Cable trays that ran along the
ceilings have been left in place and now carry lighting. A section of the original switchboard,
recovered from a museum store where it had been kept since the 1960s, is on display in the
entrance hall.

"We wanted people to know what the building was," said Chloe Marsden, one of Foundry Works'
three founders. "This place connected people for the best part of a century. It seemed right
that it should go on doing that, in a different way."

## Who is using it

The Exchange opened its doors at the start of the month and says around 70 of its desks are
already taken. Early members include a small team designing software for local charities, a
pair of architects, several translators, a podcast producer and a company that makes
educational board games.

Membership ranges from a day pass to a dedicated desk or private office on a monthly basis. The
company has set aside ten desks at reduced rates for people who are starting their first
business or returning to work after a career break.

Hassan Ali, who runs a two-person web design business, said he had been working from his
kitchen table for three years. "It's amazing how much difference it makes having somewhere to
go in the morning and people to say hello to," he said. "I've already found two clients just by
chatting in the kitchen here."

Shared workspaces have become more common in Harborview in recent years, with at least four now
operating in the city centre and one at the university's science park. The council's economic
development team says they fill a gap for small businesses and freelancers who cannot commit to
a traditional lease.

Foundry Works says it plans to host regular free events in the former switch room, including
talks, skills workshops and an evening market for local makers. The first event, a history talk
about the building's operators, many of whom were young women from the surrounding streets, is
planned for later this month.

The company is keen to hear from anyone who worked at the exchange or has family who did. "We'd
love to collect their stories," said Ms Marsden. "We've got some photographs, but we don't know
most of the names."
""",
        "days_ago": 24.7,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a grid of small circles connected by fine orange "
                "lines on a dark background"
            ),
            "caption": "Illustration: connections, old and new.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Maureen",
                "body": (
                    "My mother was an operator there in the 1950s! I'll get in touch, I have "
                    "a photo of her at the switchboard."
                ),
                "replies": [],
            },
        ],
        "shares": {"linkedin": 35, "x": 18, "facebook": 16, "email": 2},
    },
    {
        "title": "How a bakery cooperative decides what a loaf should cost",
        "section": "business",
        "author": "lena-marchetti",
        "topics": ["food", "small-business"],
        "brief": (
            "Rising flour and energy prices forced Crumb & Co to raise its prices. Instead "
            "of announcing the change, the worker-owned bakery published its costs on the "
            "wall and asked customers what they thought."
        ),
        "body": """When the flour supplier's new price list arrived last autumn, the eleven
members of Crumb & Co, a worker-owned bakery on the edge of Cobble Hill, knew they had a
problem. Flour had gone up by almost a third in a year. The electricity bill for the bakery's
ovens had nearly doubled. Something had to give.

What they did next was unusual. Rather than quietly raising prices, the cooperative printed a
large poster breaking down exactly what went into the cost of its best-selling sourdough loaf,
pinned it to the wall by the till, and invited customers to say what they thought.

"We're a cooperative. We make decisions together and we try to be straight with people," said
Yasmin Carter, one of the founding members. "It felt odd to be open about everything except the
one thing our customers care most about."

## What is in a loaf

The poster, which is still on the wall, breaks down the cost of a large sourdough loaf, which
then sold for £3.60. According to the cooperative's figures, the cost was made up roughly as
follows:

- Flour, salt and water: 58p
- Energy for the ovens and mixers: 41p
- Wages, including the time spent on the long, slow fermentation: £1.52
- Rent and business rates: 34p
- Packaging, cleaning and equipment repairs: 22p
- Loss from unsold bread, much of which is given to a local food bank: 19p
- Money set aside for future equipment and a small surplus: 34p

The poster explained that, with new flour and energy prices, the same loaf would cost around
35p more to make, and that the cooperative was proposing to raise the price to £3.95.

## What customers said

Customers were invited to write comments on cards and drop them in a box. Over three weeks, the
bakery received more than 200 replies. The cooperative says the large majority accepted the
rise, and many said they appreciated being told why.

"I'd much rather pay a bit more and know the people making my bread are being paid properly,"
one card read. Another simply said: "Fair enough. Keep the cinnamon buns."

Some customers raised concerns about affordability. Several pointed out that a loaf approaching
four pounds was out of reach for many families in the neighbourhood, where a supermarket loaf
can cost less than a pound.

The cooperative took those comments seriously. After discussion at its monthly members'
meeting, it agreed to introduce a smaller "everyday" loaf, made with a simpler recipe and a
shorter rise, at £2.20. It also extended a "pay it forward" scheme, in which customers can add
the cost of a loaf to their bill for someone else to collect later.

Economists who study pricing say the bakery's approach is rare but not unheard of. Dr Leo
Fairweather, who teaches at Harborview University's business school, said openness about costs
could build loyalty, particularly among customers of small local businesses.

"People don't mind paying more nearly as much as they mind feeling taken for granted," he said.
"If you explain, most people are reasonable. The risk is that you also reveal things
competitors might use. For a bakery like this, I suspect that risk is small."

Ms Carter said the cooperative would do the same thing again if prices rose further. "It was a
bit nerve-racking, putting our numbers up on the wall," she said. "But it started a lot of
conversations. A few customers told us they'd never thought about how long sourdough takes. One
man now comes in and asks how the starter is doing."

The starter, she reports, is doing well. It is eleven years old and has a name, though the
members have agreed not to reveal it.
""",
        "days_ago": 33.1,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a warm brown oval surrounded by segments of colour "
                "like a pie chart"
            ),
            "caption": "Illustration: a loaf, divided into its costs.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Tess",
                "body": (
                    "I wish every business did this. I'd happily pay the extra knowing where "
                    "it goes."
                ),
                "replies": [],
            },
            {
                "name": "Marcus",
                "body": "The everyday loaf is actually really good. Don't sleep on it.",
                "replies": [
                    {
                        "name": "Yasmin C.",
                        "body": (
                            "Thank you Marcus! It's the one most of us take home, to be honest."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Linh",
                "body": "What's the starter called though. *What is it called.*",
                "replies": [
                    {
                        "name": "Tess",
                        "body": "I've heard rumours it begins with a G. That's all I know.",
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 61, "x": 29, "linkedin": 12, "reddit": 9, "copy": 5},
    },
    {
        "title": "Port traffic climbs six per cent as container berth reopens",
        "section": "business",
        "author": "devon-hale",
        "topics": ["waterfront", "jobs"],
        "brief": (
            "The reopening of Berth 4 after eighteen months of repairs helped Harborview's "
            "port handle six per cent more cargo in the first quarter than a year earlier."
        ),
        "body": """Harborview's port handled around six per cent more cargo in the first three
months of the year than in the same period last year, helped by the reopening of its main
container berth after eighteen months of repairs, according to figures published by the port
authority.

Berth 4, which can accommodate the largest container ships that visit Harborview, was closed
for repairs to its quay wall after engineers found the steel piles supporting it had corroded
more quickly than expected. During the closure, some container traffic was diverted to other
ports along the coast, and some shipping lines reduced the frequency of their calls.

With the berth back in use, the port handled a total of 1.28 million tonnes of cargo in the
quarter, compared with 1.21 million a year earlier. Container traffic rose by 14 per cent,
while bulk cargoes such as timber, grain and aggregates were broadly flat.

## Why it matters

The port is one of the city's largest employers, directly supporting around 1,600 jobs in cargo
handling, logistics, pilotage and maintenance, and many more in businesses that depend on it,
from haulage firms to the small cafes that serve dock workers at the start of a shift.

"The berth closure was a difficult period for everyone who works here," said Robert Ansah, the
port authority's chief executive. "We kept people in work by moving them to other areas, but
there's no substitute for having ships alongside. It's good to see the cranes moving again."

Dockers' representatives said overtime had returned to normal levels since the reopening, and
that several temporary staff had been taken on permanently.

Businesses around the docks have noticed the difference too. "For a year and a half, the early
shift was half what it used to be," said Pat Mulvey, who runs a cafe opposite the main gate and
opens at five each morning. "Now the queue is back out the door by six. I've had to bring my
nephew in to help with the bacon rolls."

## Looking ahead

The port authority expects the growth to continue over the rest of the year as shipping lines
that reduced their calls during the repair work return to their previous schedules. Two lines
have already confirmed they will increase their calls to weekly from the summer.

The authority is also preparing plans for a second phase of work on the neighbouring Berth 5,
which has similar problems with its quay wall. It says it has learned from the first project
and hopes to keep the second closure to under a year, partly by doing more of the work from the
water rather than from the quayside.

Some residents living near the port have raised concerns about the increase in lorry traffic on
the harbour road, particularly at night. The authority says it is working with the council on a
plan to move more cargo by rail, using a freight line that runs into the port from the east,
and that a new lorry holding area will open later this year to stop vehicles queueing on
residential streets.
""",
        "days_ago": 47.3,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [],
        "shares": {"linkedin": 22, "x": 6},
    },
    {
        "title": "Retiring tradespeople pass on their skills through new apprenticeship scheme",
        "section": "business",
        "author": "devon-hale",
        "topics": ["jobs", "schools"],
        "brief": (
            "A scheme run by the further education college pairs plumbers, joiners and "
            "electricians close to retirement with young trainees, so that decades of "
            "knowledge are not lost when they hang up their tools."
        ),
        "body": """Frank Whelan has been a plumber in Harborview for 44 years. He has worked in
Victorian terraces with lead pipes, in tower blocks built in the 1960s, and in new houses where
the boiler is controlled from a phone. He plans to retire next year, and until recently he
worried that most of what he had learned would go with him.

"You pick things up over forty years that aren't in any textbook," he said. "How to find a leak
in a house where someone has boxed in every pipe. Which old fittings you can trust and which
you can't. What to say to an elderly customer who's frightened of having the water turned off.
None of that is written down."

Mr Whelan is one of 26 experienced tradespeople taking part in a new scheme run by Harborview
College, which pairs workers who are approaching retirement with young apprentices for up to
two years. The apprentices spend part of each week at the college and the rest working
alongside their mentor on real jobs.

## Filling a gap

The scheme was set up in response to a growing shortage of skilled tradespeople in the region.
A survey of local employers last year found that more than half of construction and building
maintenance firms had struggled to fill vacancies for plumbers, electricians and joiners, and
that many of their most experienced staff were over 55.

At the same time, many self-employed tradespeople, who make up a large proportion of the
workforce in these trades, had never taken on an apprentice. Some said they did not have the
time to deal with the paperwork; others worried they could not offer enough work to keep a
trainee busy.

"We realised there were hundreds of people out there with enormous amounts of knowledge and no
obvious way to pass it on," said Mandy Okoro, who leads the college's construction department.
"And there were young people who wanted to learn a trade but couldn't find someone to take them
on. It seemed daft not to bring them together."

## How it works

The college handles the administration, including contracts, insurance and funding, which it
says removes the biggest barrier for sole traders. Mentors receive a payment towards the cost
of training and supervising an apprentice, and the apprentices are paid a wage funded partly by
the college and partly by the mentors.

Each pairing has a written plan setting out what the apprentice will learn, but Ms Okoro says
much of the value lies in the things that are hard to plan. "The apprentice sees how the mentor
deals with a customer, how they price a job, how they work out what's really wrong when the
obvious answer turns out to be wrong," she said.

The 26 trades currently represented include plumbing, electrical work, joinery, plastering,
roofing, stonemasonry and, in one case, traditional sash window repair.

For some apprentices, the scheme has offered a new direction. Kayla Bright, 22, left school
with few qualifications and spent three years working in a call centre before applying. She is
now paired with Mr Whelan.

"I was always the one at home who fixed things," she said. "I didn't know you could make a
career out of it until I saw the advert. Frank's strict but he explains everything. He makes me
do it again until it's right."

Mr Whelan is full of praise for his apprentice. "She's got good hands and she's not afraid to
ask questions, which is the main thing," he said. "If she keeps going, she'll be better than
me. That's the idea, isn't it?"

The college hopes to double the number of pairings next year and is seeking more mentors,
particularly in electrical work and heating, where demand for skills is expected to grow as
more homes install heat pumps and solar panels. It is also talking to the city's housing
associations about whether their maintenance teams could take part.

Tradespeople interested in becoming mentors can contact the college directly. There is no upper
age limit. The oldest current mentor, a stonemason, is 71.
""",
        "days_ago": 58.55,
        "featured": False,
        "cover": {
            "alt": "Abstract illustration of two overlapping hand-like shapes in orange and teal",
            "caption": "Illustration: passing on a craft.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Ken",
                "body": (
                    "Excellent idea. My dad was a joiner and half of what he knew was never "
                    "written down anywhere."
                ),
                "replies": [],
            },
            {
                "name": "Kayla's mum",
                "body": "So proud of her. Thank you for writing about the scheme.",
                "replies": [],
            },
        ],
        "shares": {"facebook": 48, "linkedin": 30, "x": 10, "email": 7},
    },
    {
        "title": "Tagged seals reveal where the harbour's grey seals really feed",
        "section": "science",
        "author": "amara-quist",
        "topics": ["environment", "waterfront"],
        "brief": (
            "University researchers fitted small tracking tags to twelve grey seals. The "
            "first results suggest the animals spend far more time close to the busy inner "
            "harbour than anyone expected."
        ),
        "body": """For as long as anyone can remember, Harborview's grey seals have been a
familiar sight, hauled out on the sandbanks at the mouth of the harbour or bobbing their heads
above the water near the fish market in the hope of scraps. But where they go to feed, and how
much time they spend in the busy inner harbour, has been largely a matter of guesswork.

Now researchers at Harborview University have begun to find out. Last autumn, a team from the
university's marine science department fitted small satellite tags to twelve grey seals, seven
females and five males, captured briefly on the sandbanks. The tags, glued to the fur on the
back of the seal's neck, record the animal's position, dive depth and water temperature, and
fall off harmlessly when the seal moults in spring.

The first results, presented at a public talk at the university this week, have surprised even
the researchers.

## Closer than expected

"We assumed the seals would do most of their feeding out in the bay, and use the harbour mainly
as somewhere to rest," said Dr Maia Hendricks, who leads the project. "What we found is that
several of them spend a large part of their time inside the harbour, including right up by the
commercial quays, and some of them are feeding there, often at night."

The tracks show that three of the twelve seals spent more than a third of their time inside the
harbour breakwaters. One young female, nicknamed Pebble by the team, made repeated dives near
the outfall of the Carrow river, where the fresh water meets the salt and fish tend to gather.

Other seals ranged much further. One large male travelled more than 120 kilometres along the
coast in a fortnight before returning, while two females spent several weeks feeding around a
sandbank off Greyhaven island.

## Why it matters

The findings matter because the harbour is changing. The port authority is planning major works
on its quay walls, the shipyard is expanding, and the city has ambitions to develop more of the
waterfront. Knowing where the seals feed and rest could help planners time noisy work, such as
pile driving, to avoid disturbing them at the most sensitive times.

"Seals are quite tolerant of people, but underwater noise can affect them, particularly loud
impulsive sounds," said Dr Hendricks. "If you know a seal is likely to be feeding in a
particular area at night, you might choose to do your piling during the day, or use methods
that produce less noise."

The research also touches on a question that matters to local fishermen, some of whom believe
the seal population is taking too many fish. Dr Hendricks said the data could help answer that
question with evidence rather than anecdote, though she cautioned that it would take several
more years of tracking and analysis.

Alongside the tagging, the project has recruited around 60 volunteers to count seals on the
sandbanks and in the harbour at regular intervals. Counts are recorded on a simple form and
shared with the research team, giving a broader picture of how many seals use the harbour at
different times of year.

The volunteers include retired fishermen, schoolchildren and several harbour pilots, who see
seals every day in the course of their work. "You get to know some of them," said Ray Lindahl,
a pilot for more than twenty years. "There's one with a scar on his nose who's been hanging
around the pilot station since before I started. I'd love to know how old he is."

The team plans to tag another group of seals next autumn, this time including younger animals.
The tracks from this year's seals can be seen on an interactive map on the [project's
website](https://example.org/harborview-seals), updated weekly until the tags fall off.

Members of the public are reminded to keep their distance from seals on the shore, particularly
young pups in the autumn, and to keep dogs on leads near the sandbanks.
""",
        "days_ago": 4.4,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a curving grey form among looping dotted lines on "
                "a blue field"
            ),
            "caption": "Illustration: tracks traced across the harbour.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Robin",
                "body": "Pebble is my new favourite seal.",
                "replies": [],
            },
            {
                "name": "Ahmed",
                "body": (
                    "Great to see the volunteers mentioned. It's a really friendly group and "
                    "you don't need any experience."
                ),
                "replies": [
                    {
                        "name": "Sinead",
                        "body": (
                            "How do you sign up? I walk along the breakwater most mornings anyway."
                        ),
                        "replies": [
                            {
                                "name": "Ahmed",
                                "body": (
                                    "There's a form on the project website, or ask at the "
                                    "marine science building reception."
                                ),
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Old Salt",
                "body": (
                    "The one with the scarred nose is at least fifteen years old. He was "
                    "there when I was still fishing."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 34, "facebook": 58, "reddit": 12, "whatsapp": 6, "email": 4},
    },
    {
        "title": "Volunteers record 212 moth species in a single summer",
        "section": "science",
        "author": "amara-quist",
        "topics": ["environment", "parks"],
        "brief": (
            "A citizen science project running light traps in parks and back gardens last "
            "summer found more than 200 moth species in Harborview, including two not "
            "recorded in the county for decades."
        ),
        "body": """Most people notice moths only when one blunders into a lamp on a summer
evening. But over the course of last summer, a group of around 40 volunteers in Harborview has
been paying them very close attention, and has found more than 200 different species living in
the city's parks and back gardens.

The project, run by the Harborview Natural History Society with support from the city's parks
team, asked volunteers to run moth traps overnight at least once a week between May and
September. The traps use a bright light to attract moths into a box lined with egg cartons,
where they settle until morning. Volunteers then identify and count them before releasing them
unharmed.

In total, the volunteers recorded 212 species across 31 sites, from large gardens on the edge
of the city to a tiny courtyard behind a terraced house in the centre.

## Rare visitors

Among the finds were two species that had not been recorded in the county for several decades,
including a small, pale moth whose caterpillars feed on lichens growing on old walls and trees.
It turned up in a trap in the grounds of the cathedral, which has some of the oldest stonework
in the city.

"When I opened the trap that morning and saw it sitting there, I honestly thought I'd got it
wrong," said Evelyn Strand, the volunteer who found it. "I sent a photo to three different
people before I believed it."

Other highlights included several large hawk-moths, with their striking colours and
torpedo-shaped bodies, which were especially popular with children taking part in the project's
open mornings.

## What the numbers show

Moths are an important part of the food chain, particularly as food for birds and bats, and
many species have declined sharply in recent decades. Scientists believe the causes include
habitat loss, pesticides, climate change and artificial light at night.

Dr Theo Ramsay, an entomologist who advises the society, said the survey was valuable precisely
because it was repeated at the same sites across the season. "One night's trapping tells you
something. A whole summer of weekly trapping at 31 sites starts to tell you something useful,"
he said. "If we can keep it going year after year, we'll be able to see which species are doing
well in the city and which are struggling."

Early patterns suggest that gardens with more native plants, longer grass and fewer outdoor
lights recorded more species. The richest single site was an allotment on the edge of Fenwick
Park, where a volunteer recorded 118 species over the summer.

The society has produced a short guide for gardeners who want to support moths. Its suggestions
include leaving a patch of grass to grow long, planting night-scented flowers such as
honeysuckle, avoiding pesticides, and turning off or shielding outdoor lights that are not
needed.

The project will run again this summer, starting in May, and the society says it has enough
traps to lend to another twenty volunteers. Anyone interested can contact the society through
its website. No previous experience is needed, though a willingness to get up early is helpful.
""",
        "days_ago": 11.15,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Evelyn S.",
                "body": (
                    "Still can't quite believe the lichen moth. Thank you to everyone who "
                    "checked my ID!"
                ),
                "replies": [],
            },
            {
                "name": "Raf",
                "body": (
                    "Did the trap in our garden with the kids and they are now *obsessed*. "
                    "We'll be doing it again next year."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 23, "x": 19, "reddit": 7},
    },
    {
        "title": "A century of tides: what Harborview's gauge has recorded",
        "section": "science",
        "author": "amara-quist",
        "topics": ["weather", "history", "environment"],
        "brief": (
            "Since 1921, a gauge at the end of the Western Pier has measured the height of "
            "every tide. Its records, now fully digitised, show the sea here has risen by "
            "about 19 centimetres."
        ),
        "body": """At the end of the Western Pier, inside a small stone hut that most
passers-by assume is a storeroom, sits one of the longest-running scientific instruments in the
region. Since 1921, the Harborview tide gauge has measured the height of the sea, recording
every high and low tide for more than a century.

This year, a team of volunteers and researchers finished digitising the gauge's entire paper
record, transcribing hand-written ledgers and paper charts dating back to its first year. The
complete data set, now publicly available, offers one of the clearest pictures yet of how the
sea around Harborview has changed.

The headline finding is that average sea level in the harbour has risen by about 19 centimetres
since the gauge was installed. The rise has not been steady. For much of the 20th century it
averaged a little under two millimetres a year, but since the 1990s the rate has roughly
doubled.

## How the gauge works

The original gauge worked on a simple principle. Inside the hut, a vertical pipe called a
stilling well connects to the sea through a small hole near its base. The narrow opening damps
out waves, so the water level inside the pipe rises and falls smoothly with the tide. A float
on the surface of the water was attached by a wire to a pen, which traced a line on a paper
chart wrapped around a slowly turning drum.

Every week, a keeper would change the chart and check the gauge against a graduated staff fixed
to the pier. The keepers, most of them employed by the harbour authority, also wrote daily
readings in ledgers, noting the weather and anything unusual, such as storms or surges.

Since the 1990s, the gauge has been fitted with electronic sensors that send readings
automatically every few minutes. The stilling well is still in use, and the paper charts were
kept running in parallel until 2009.

The digitisation project began four years ago when Dr Olu Bankole, an oceanographer at
Harborview University, realised that only the records from 1960 onwards had been transferred to
computers. The earlier ledgers and charts were stored in boxes in the harbour authority's
archive.

More than 150 volunteers took part, working from scanned images of the ledgers and checking
each other's entries. Some entries were difficult to read; others contained the kind of detail
that no machine would record.

"One keeper in the 1930s wrote 'gale, pier flooded, lost my hat' next to a particularly high
reading," said Dr Bankole. "Another wrote during the war that he had taken the readings by
torchlight because of the blackout. You realise these numbers were collected by people, night
after night, in all weather. It's quite moving."

## What the record shows

Beyond the overall rise in sea level, the data reveals several patterns of interest to
scientists and planners:

- Extreme high waters, when storm surges coincide with spring tides, have become more frequent.
  Water levels that were reached about once every ten years in the mid-20th century now occur
  roughly every three years.
- The tidal range has changed slightly since the 1970s, probably because of dredging in the
  harbour approaches, which altered how the tide travels into the bay.
- Land in the region is sinking very slightly, by about half a millimetre a year, which
  accounts for a small part of the measured rise.

These trends matter because the city's flood defences, harbour walls and drainage were designed
around the sea levels of the past. The city's engineers are now using the long record to model
how often defences might be overtopped in the coming decades.

> "A century of data is a gift," said Dr Bankole. "It means we don't have to argue about
> whether the sea is rising here. We can see it, year by year, in the keepers' own
> handwriting."

The gauge is now maintained by the national tide-gauge network, though the harbour authority
still owns the hut. Plans are being drawn up to move the sensors to a new housing further along
the pier during planned repairs, with a period of overlap so the record remains continuous.

The digitised records can be explored on the university's website, and the original ledgers
will go on display at the maritime museum later this year. Several volunteers from the project
will give a talk at the museum in the autumn, including, the organisers promise, the full story
of the keeper's hat.
""",
        "days_ago": 20.35,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a rising wavy line drawn across horizontal bands of blue"
            ),
            "caption": "Illustration: a century of tides in one line.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Dr Bankole",
                "body": (
                    "Thank you for this lovely write-up. And thank you again to every "
                    "volunteer who squinted at those ledgers."
                ),
                "replies": [],
            },
            {
                "name": "Fiona K.",
                "body": (
                    "I transcribed about 3,000 entries and it was one of the most satisfying "
                    "things I've ever done. Highly recommend the museum talk."
                ),
                "replies": [],
            },
            {
                "name": "Pedro",
                "body": (
                    "Extreme high water every three years instead of ten is a striking "
                    "number. Hope the flood planners are listening."
                ),
                "replies": [
                    {
                        "name": "Maggie",
                        "body": "The Millbrook flood wall story suggests they are, slowly.",
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Jim Arnott",
                "body": (
                    "My grandfather was a gauge keeper in the fifties! I wonder if his "
                    "handwriting is in there."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 52, "facebook": 40, "reddit": 31, "linkedin": 9, "email": 11},
    },
    {
        "title": "Home heart monitors cut hospital visits in early trial, doctors say",
        "section": "science",
        "author": "amara-quist",
        "topics": ["health", "technology"],
        "brief": (
            "Patients with heart failure who measured their weight, pulse and blood pressure "
            "at home each morning spent fewer days in hospital, according to early results "
            "from a trial at Harborview General."
        ),
        "body": """Patients with heart failure who took part in a home monitoring trial at
Harborview General Hospital spent around a quarter fewer days in hospital than similar patients
receiving standard care, according to early results presented by the cardiology team.

The trial, which began eighteen months ago, gave 180 patients a simple kit to use at home: a
set of bathroom scales, a blood pressure cuff and a small device that records pulse and oxygen
levels. Each morning, patients took their readings and entered them into a tablet, which sent
them to a team of specialist nurses at the hospital.

If the readings suggested a problem, such as a sudden increase in weight that can signal fluid
building up in the body, a nurse would phone the patient the same day and, if needed, adjust
their medication or arrange an appointment.

## Catching problems early

Heart failure is a long-term condition in which the heart does not pump blood around the body
as well as it should. People living with it often go through periods when their symptoms
suddenly get worse, usually because fluid accumulates in the lungs and legs. Those episodes are
one of the most common reasons for emergency hospital admission among older people.

"Often, the warning signs are there several days before someone becomes really unwell," said Dr
Priya Raman, the consultant cardiologist who leads the trial. "A kilo or two of weight gain in
a few days, a bit more breathlessness. If we catch that early, we can usually adjust tablets at
home. If we miss it, the person may end up in the emergency department at two in the morning."

The early results, covering the first year of the trial, showed that patients using the home
kit spent an average of 4.1 days in hospital for heart-related reasons over the year, compared
with 5.6 days for a comparison group of patients receiving standard care.

Patients taking part said the daily routine quickly became second nature. George Abernathy, 79,
a retired bus driver from Northgate, said he now took his readings before his morning cup of
tea.

"At first I thought it would be a nuisance," he said. "But it's reassuring. Twice now the nurse
has rung me up and said, George, your weight's up, let's change your water tablet, and both
times I've been fine. Before, I'd have ended up in an ambulance."

Not everyone found the system easy. A small number of patients dropped out because they found
the tablet confusing or did not want to be monitored, and the team says it has simplified the
instructions and added a phone-in option for people who prefer not to use a screen.

## Caution over the numbers

The researchers are careful not to overstate the findings. The trial was not fully randomised:
patients chose whether to take part, and it is possible that those who volunteered were already
more engaged with their own health. A larger, randomised study would be needed to confirm the
benefit.

"These are encouraging results, but they're early," said Dr Raman. "We want to see whether the
effect holds up over a longer period and in a wider group of patients, including those who are
less confident with technology."

The hospital plans to extend the trial to a further 300 patients over the next two years,
including patients in the valley towns, where the distance to hospital makes early intervention
particularly valuable.
""",
        "days_ago": 29.6,
        "featured": False,
        "cover": None,
        "editor_comments": [
            (
                "Correction: An earlier version of this article said the trial included 280 "
                "patients. It included 180. — A.Q."
            ),
        ],
        "comments": [
            {
                "name": "Sandra A.",
                "body": (
                    "George is my dad and he genuinely does take his readings before the "
                    "tea. Every single morning."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 34, "linkedin": 19, "x": 13, "email": 10},
    },
    {
        "title": "Why does the harbour turn green every August?",
        "section": "science",
        "author": "amara-quist",
        "topics": ["environment", "waterfront"],
        "brief": (
            "Readers ask us every summer why the water in the inner harbour turns a milky "
            "green. The short answer is plankton. The longer answer involves rivers, "
            "sunshine and a very calm basin."
        ),
        "body": """Every August, without fail, our inbox fills with the same question. Why has
the water in the inner harbour turned green? Some readers worry about pollution. Others wonder
if someone has tipped paint into the water. One memorable email last year asked whether the
harbour had been dyed for a festival.

The answer, in almost every case, is plankton. But the details are more interesting than that,
and they explain why the green appears where it does, and why it usually disappears within a
few weeks.

The green colour comes from microscopic algae called phytoplankton, single-celled plants that
drift in the water. Like plants on land, they contain chlorophyll and use sunlight to grow. In
most of the year, they are present in relatively small numbers and the water looks clear or
grey-brown.

Under the right conditions, however, their numbers can explode. A single litre of harbour water
during a bloom can contain many millions of cells, enough to give the water a distinct green or
sometimes brownish tint.

"It's essentially a garden that grows out of control," said Dr Maia Hendricks, a marine
scientist at Harborview University. "Give phytoplankton warm water, lots of light and plenty of
nutrients, and they will do what plants do. They grow."

## Why August, and why the inner harbour

Several factors come together in late summer to create those conditions:

- **Warm water.** The harbour is at its warmest in August, after months of sunshine.
- **Long days.** Although the days are getting shorter, there is still plenty of light.
- **Nutrients.** Rivers carry nutrients from farmland and drains into the harbour, particularly
  after summer rain storms. The Carrow river enters the inner harbour directly.
- **Calm water.** The inner basin is sheltered by the breakwaters and the lock gates, so the
  water is not mixed or flushed as quickly as the open bay.

That last point explains why the green colour is usually most noticeable in the inner basin and
around the old docks, and much less obvious in the outer harbour, where tides and waves keep
the water moving.

In most years, the August bloom is harmless, and it typically fades when the weather cools, or
after a spell of wind and rain stirs the water. Phytoplankton are the base of the marine food
chain, and a bloom can provide a feast for the small animals that feed on them, which in turn
feed fish and birds.

However, some blooms can cause problems. When very large numbers of algae die at the same time,
the bacteria that break them down can use up oxygen in the water, which can stress fish. A
small number of algae species can also produce toxins.

The regional environment agency tests water in the harbour regularly during the summer and
issues warnings if harmful species are detected. In the past decade, warnings have been issued
twice, both times for the inner basin, and both times they were lifted within a fortnight.

"If you see a thick scum on the surface, or the water smells unpleasant, it's sensible to keep
dogs and children out of it and to report it," said Dr Hendricks. "But a green tint on its own
is usually nothing to worry about."

## Is it getting worse?

This is harder to answer. Records from the environment agency suggest that blooms in the inner
harbour have been slightly larger and longer-lasting in recent years, which scientists think
may be linked to warmer summers and to nutrients running off land during heavy rain.

The university is now installing a small buoy in the inner basin that will measure temperature,
oxygen and chlorophyll levels continuously, giving a much more detailed picture. Data from the
buoy will be published online.

So, if the harbour turns green again this August, you'll know what you're looking at: a vast,
invisible garden, blooming in the summer sun, and most likely gone again by the first autumn
storm.
""",
        "days_ago": 37.5,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of swirling green and turquoise shapes with tiny "
                "scattered dots"
            ),
            "caption": "Illustration: a bloom, greatly simplified.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Kerry",
                "body": (
                    "Thank you! I'm one of the people who emailed last year worried about paint."
                ),
                "replies": [],
            },
            {
                "name": "Lucas",
                "body": (
                    "Would love to see the buoy data when it goes live. Please link it when "
                    "it does."
                ),
                "replies": [],
            },
            {
                "name": "Mina",
                "body": (
                    "Learned something today. A *vast, invisible garden* is a lovely way to put it."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 71, "x": 28, "reddit": 22, "whatsapp": 9, "copy": 6},
    },
    {
        "title": "Observatory reopens with its 1920s telescope restored",
        "section": "science",
        "author": "lena-marchetti",
        "topics": ["history", "technology"],
        "brief": (
            "The domed observatory on Beacon Hill has reopened after a three-year "
            "restoration. Its century-old refracting telescope has been cleaned, realigned "
            "and fitted with a new drive."
        ),
        "body": """The observatory on Beacon Hill, a small domed building that has looked down
on Harborview since 1924, has reopened to the public after a three-year restoration that saw
its century-old telescope dismantled, cleaned and carefully put back together.

The observatory was built by a local shipowner and amateur astronomer, Ernest Marwood, who left
it to the city on his death in 1951. For decades it was run by the Harborview Astronomical
Society, whose volunteers held public viewing nights on clear evenings. But by the late 2010s
the building was in poor repair, with water coming through the dome and the telescope's
mechanism worn and unreliable.

The restoration was funded by a heritage grant, a public appeal that raised around £90,000, and
a contribution from the city council, which still owns the building.

## Bringing the telescope back

At the heart of the observatory is a refracting telescope with a lens about 20 centimetres
across, made by a renowned optical workshop in the 1920s. Refractors of this size and age are
now rare, and the restoration team treated it with great care.

The telescope was taken apart piece by piece and its brass tube and cast-iron mounting were
cleaned and repainted in their original colours, which were identified by analysing tiny flakes
of paint. The lens was removed, inspected and gently cleaned by a specialist, who found it in
remarkably good condition.

The most significant change is to the clock drive, the mechanism that slowly turns the
telescope to follow the stars as the Earth rotates. The original drive, powered by a falling
weight, had long since stopped working. It has been restored for display, but the telescope now
runs on a small, quiet electric motor that can be controlled from a computer.

"We wanted to keep the character of the instrument while making it usable," said Joan Petrakis,
who chairs the astronomical society and oversaw the project. "When you look through it, you are
looking through exactly the same glass that Mr Marwood looked through a hundred years ago.
That's quite something."

The dome, which rotates so the telescope can point at any part of the sky, had to be entirely
rebuilt. Its original timber frame had rotted, and the copper sheeting had been patched many
times. A new frame was built to the original design, and the copper was replaced.

The building itself has been made accessible for the first time, with a ramp to the entrance
and a small lift to the viewing floor. A new exhibition room explains the history of the
observatory and the basics of astronomy, including a section on Ernest Marwood's own
observations, some of which were published in scientific journals in the 1930s.

## Viewing nights

Public viewing nights will be held every Friday and Saturday evening when the sky is clear,
from the autumn equinox onwards. Visitors will be able to look through the telescope at the
Moon, planets and brighter stars and nebulae, guided by volunteers from the society.

Tickets are free but must be booked in advance because of limited space in the dome. The
society says it will also run sessions for schools and community groups during the day, using a
specially filtered telescope to look safely at the Sun.

"We've had people ring up already asking when they can come," said Ms Petrakis. "The first
question is always: can I see Saturn? And the answer, if the weather behaves, is yes."
""",
        "days_ago": 50.25,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a half circle in copper tones beneath a dark sky "
                "scattered with points of light"
            ),
            "caption": "Illustration: a dome under the stars.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Stargazer Sue",
                "body": (
                    "Went on the first clear Friday and saw Saturn's rings. Actually gasped "
                    "out loud."
                ),
                "replies": [],
            },
            {
                "name": "Tomasz",
                "body": (
                    "The lift is a wonderful addition. My dad hasn't been able to visit for years."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 47, "x": 21, "email": 5},
    },
    {
        "title": "Harbour Lights festival puts local bands at the top of the bill",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["music", "arts"],
        "brief": (
            "For the first time in its eighteen-year history, every headline act at the "
            "Harbour Lights festival comes from within fifty miles of the city. Organisers "
            "say the decision was about more than money."
        ),
        "body": """The Harbour Lights festival has announced its line-up for this summer, and
for the first time in its eighteen-year history every one of its headline acts comes from
Harborview or the surrounding region.

The three-day festival, held on the Western Green overlooking the harbour, has in recent years
booked at least one nationally known act to close each night. This year, organisers say, they
decided to do something different.

"We looked at the list of bands playing in the city's pubs and small venues every week and
realised we had more than enough talent to fill the main stage three times over," said Josie
Kaminski, the festival's artistic director. "Some of these bands have been packing out rooms of
two hundred people for years. We wanted to give them a field of five thousand."

## Who is playing

Friday night will be headlined by The Lamplighters, a seven-piece folk band from the valley
towns whose second album was recorded in a disused chapel in Stenby. Saturday's headliner is
Marlow Street, an indie rock quartet formed at a city secondary school a decade ago, now known
for their energetic live shows and songs about growing up on the Ashcombe estate.

Sunday's closing slot goes to Ada Okonkwo and the Tidewater Orchestra, a twenty-strong ensemble
that blends jazz, soul and brass band traditions, and which has become something of a local
institution since its first performance at a community centre in Fenwick Park.

Further down the bill are more than 40 acts, including choirs, a ceilidh band, several young
singer-songwriters, a hip-hop collective from Northgate and, on Sunday afternoon, the
Harborview Colliery Band, which has played at every edition of the festival since it began.

Organisers acknowledge that booking local acts is cheaper, at a time when the cost of staging
outdoor events has risen sharply. But Ms Kaminski insisted the decision was primarily artistic.

"Yes, a national headliner costs a lot, and yes, the budget is tight," she said. "But if it
were only about money, we'd have cut the festival to two days. We chose to keep three days and
to put our own musicians first. I think the city will respond to that."

Local musicians have welcomed the move. Rob Devlin, the drummer in Marlow Street, said the band
had been told the news during a rehearsal in a lock-up garage. "We just sat there in silence
for a minute," he said. "We played the festival when we were sixteen, at two in the afternoon,
to about forty people and somebody's dog. Headlining it is a bit of a dream."

## Tickets and practicalities

Tickets go on sale on Friday morning. Prices have been held at last year's level, with a
weekend ticket costing £65 and day tickets £28. Children under 12 go free with a paying adult,
and a limited number of reduced-price tickets are available for residents on low incomes
through the city's leisure card scheme.

The festival site will again include a family area, a quiet tent, a food court featuring
traders from the Harborview night market and, new this year, a second small stage in the old
bandstand dedicated to acoustic performances.

Organisers are encouraging festival-goers to walk, cycle or take the bus, and the regional
transport authority has agreed to run late-night buses on the main routes on Friday and
Saturday nights.

Volunteers are still needed for stewarding, litter picking and running the information point.
Volunteers who complete two shifts receive a free weekend ticket.
""",
        "days_ago": 1.8,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of bright circles of light in gold and magenta "
                "floating over dark water"
            ),
            "caption": "Illustration: lights over the harbour.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Becca",
                "body": (
                    "Marlow Street headlining!! I saw their first ever gig in the school "
                    "hall. *So* happy for them."
                ),
                "replies": [
                    {
                        "name": "Rob D.",
                        "body": (
                            "Becca, you were one of about six people there. Thank you for "
                            "coming back."
                        ),
                        "replies": [
                            {
                                "name": "Becca",
                                "body": "Wouldn't miss it!",
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Dave M.",
                "body": (
                    "Bit disappointed not to have a big name this year. It was always a draw "
                    "for people from outside the city."
                ),
                "replies": [
                    {
                        "name": "Harriet",
                        "body": (
                            "Give it a chance. The Tidewater Orchestra will blow people "
                            "away, guaranteed."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Colliery fan",
                "body": "The Colliery Band at every single festival. Absolute legends.",
                "replies": [],
            },
            {
                "name": "Noor",
                "body": (
                    "Thank you for keeping the prices the same and for the leisure card "
                    "tickets. That makes a real difference for us."
                ),
                "replies": [],
            },
            {
                "name": "Greg",
                "body": "Is there step-free access to the bandstand stage this year?",
                "replies": [],
            },
            {
                "name": "Lou",
                "body": "Signed up to volunteer. See you at the litter picking station, friends.",
                "replies": [],
            },
            {
                "name": "Jonah",
                "body": (
                    "The Lamplighters album is on [their "
                    "page](https://example.org/lamplighters) for anyone who hasn't heard it. "
                    "The chapel acoustics are incredible."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 142, "x": 57, "whatsapp": 44, "telegram": 6, "email": 9, "copy": 18},
    },
    {
        "title": "Review: The Salt Road at the Civic Theatre",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["arts"],
        "brief": (
            "A new play about three generations of a fishing family is ambitious, funny and "
            "occasionally overlong, but its final twenty minutes are as good as anything the "
            "Civic has staged in years."
        ),
        "body": """There is a moment near the end of The Salt Road, the new play at the Civic
Theatre, when an old woman stands alone at the edge of the stage, looking out over an imagined
sea, and says nothing at all for what feels like a full minute. On the night I saw it, the
audience held its breath. Nobody coughed. Nobody shifted in their seat. It was the kind of
silence a theatre earns.

The play, written by Harborview-born playwright Caitlin Moyo and directed by the Civic's
artistic director, Samuel Rees, follows three generations of a fishing family over sixty years,
from the boom years after the war to the slow decline of the harbour's fishing fleet. It is the
Civic's most ambitious home-grown production in some time, with a cast of eleven and a running
time, including interval, of just under three hours.

## A family on the tide

The story centres on the Dowds, who own a single boat and a small house on the quay. In the
first act, set in the 1950s, young Nora Dowd marries into the family and gradually becomes its
anchor as her husband spends weeks at sea. In the second act, set across the 1980s and 2010s,
her son and granddaughter wrestle with what to do about a boat that no longer pays its way and
a way of life that is disappearing around them.

Moyo has a fine ear for dialogue. The family's arguments, about money, about the boat, about
who gets to leave and who has to stay, have the rhythm of real kitchen-table rows, and they are
frequently very funny. A scene in which three characters attempt to sell a second-hand engine
to a bewildered buyer from the city had the audience in fits.

The cast is strong throughout, but the evening belongs to Margot Finlay as Nora, who ages from
twenty to eighty over the course of the play without the help of much more than a cardigan and
a change of posture. Her performance is restrained and precise, and in the later scenes quietly
devastating.

Daniel Oyelaran is excellent as Nora's son, Michael, a man caught between loyalty to his
father's memory and the obvious fact that the boat is losing money. And Keira Ashton, in her
professional debut, brings real energy to the granddaughter, Sian, whose decision to leave for
university sets up the play's final act.

## Where it stumbles

The play is not without problems. The first act is too long, with several scenes that repeat
points already made. A subplot involving a rival family feels underdeveloped and could be cut
altogether without much loss. There are moments, particularly in the 1980s scenes, where the
play strains to include every major event in the harbour's history, and the characters start to
sound like they are explaining things for the audience's benefit.

The design, by Ruth Ngata, is simple but effective: a sloping wooden platform that serves as
quay, kitchen and deck, with a backdrop of shifting light that suggests sea and sky. The sound
design, which layers recordings of the harbour with a live cellist at the side of the stage, is
particularly good.

Despite its flaws, The Salt Road is a generous, humane piece of theatre, and its final twenty
minutes are as good as anything the Civic has staged in years. It would benefit from a firm
edit before any future revival, but this is a play with something to say about a city and the
people who made it, and it says it with warmth and honesty.

Go, and take someone who remembers the harbour when it was full of boats. They may need a
handkerchief.

*The Salt Road runs at the Civic Theatre until the end of next month. Tickets from £12, with
reduced prices for students and under-25s.*
""",
        "days_ago": 6.45,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a lone vertical figure shape at the edge of "
                "sweeping grey and silver curves"
            ),
            "caption": "Illustration: a figure at the edge of the sea.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Wendy",
                "body": "Saw it on Saturday. That silence at the end. I'm still thinking about it.",
                "replies": [],
            },
            {
                "name": "Ian",
                "body": "Agree completely about the first act. Still worth every penny.",
                "replies": [],
            },
            {
                "name": "Patricia",
                "body": (
                    "My father fished out of Harborview for thirty years. I cried from the "
                    "interval onwards."
                ),
                "replies": [
                    {
                        "name": "Lena Marchetti",
                        "body": (
                            "Thank you for sharing that, Patricia. I think a lot of people "
                            "in the audience felt the same."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 39, "x": 22, "email": 6},
    },
    {
        "title": "A century of shipbuilding photographs goes online",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["history", "arts", "technology"],
        "brief": (
            "The maritime museum has published more than 9,000 photographs from the Calder & "
            "Rowe shipyard archive, and is asking the public to help name the faces in them."
        ),
        "body": """More than 9,000 photographs documenting a century of shipbuilding in
Harborview have been published online by the city's maritime museum, which is asking members of
the public to help identify the people, places and ships in them.

The images come from the archive of the Calder & Rowe shipyard, which donated its collection to
the museum in the 1990s. They range from formal portraits of launches in the 1890s to candid
shots of workers eating lunch on a half-built hull in the 1970s. Until now, they have been
accessible only by appointment in the museum's reading room.

The project to scan the collection took three years and was carried out by museum staff and a
team of around 30 volunteers, many of them former shipyard workers or their relatives.

## Faces without names

Most of the photographs come with only minimal information. A launch might be labelled with the
ship's name and a date, but the hundreds of people standing on the slipway are usually
anonymous. The museum hopes the public can help.

Each photograph on the museum's website includes a box where visitors can suggest names, dates
and other details. Suggestions are checked by volunteers before being added to the records.

"We know the ships, mostly. What we don't know is the people," said Rebecca Hartley, the
museum's curator of social history. "Every face in these photographs belonged to someone with a
family, and some of those families are still here in the city. We want to give those people
their names back."

In the first week after the images went online, the museum received more than 600 suggestions.
One woman identified her grandmother among a group of women welders photographed during the
Second World War; a man in his eighties found a photograph of himself as a fifteen-year-old
apprentice, holding a rivet gun almost as big as he was.

## Highlights of the collection

Among the most striking images are a series taken in 1956, when the yard launched the largest
ship in its history, a cargo liner that drew an estimated 20,000 people to the harbour. The
photographs show crowds packed onto every quay, rooftop and boat in the harbour, as the hull
slides into the water.

Other photographs offer a quieter view of the yard's daily life: men queuing at the pay office,
a brass band practising in the canteen, a cat asleep on a coil of rope, children waiting at the
gates at the end of a shift for their fathers to come home.

The collection also includes thousands of technical photographs of ships under construction,
which the museum says are of great interest to maritime historians and to the small community
of enthusiasts who build detailed models of the yard's vessels.

A selection of around 200 photographs will go on display at the museum in the spring, in an
exhibition that will also feature objects donated by former workers, including tools, pay
slips, union badges and a welder's mask.

Ms Hartley said the museum would like to include as many named individuals as possible. "If you
think you know someone in these pictures, please tell us," she said. "Even if you're not sure.
Sometimes one name leads to twenty more."

The collection can be searched on the museum's website by ship name, date or keyword.
""",
        "days_ago": 13.7,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Bill",
                "body": (
                    "Found my father in the 1956 launch photos. Standing on the crane with "
                    "his cap in his hand. Can't describe how it felt."
                ),
                "replies": [],
            },
            {
                "name": "Maria",
                "body": (
                    "The cat on the rope is the best photograph in the whole collection. Fight me."
                ),
                "replies": [
                    {
                        "name": "Rebecca H.",
                        "body": (
                            "Several of us at the museum agree. We think the cat's name was "
                            "Rivet, but we'd love confirmation!"
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 96, "x": 30, "reddit": 18, "email": 14},
    },
    {
        "title": "Community choir sells out cathedral for its first big concert",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["music"],
        "brief": (
            "The Open Voices choir, which has no auditions and welcomes anyone who wants to "
            "sing, filled the cathedral's 800 seats in under a week."
        ),
        "body": """When Open Voices was founded four years ago, its first rehearsal in a church
hall in Northgate attracted eleven people, two of whom admitted they had come mainly for the
biscuits. On Saturday evening, the choir performed to a full cathedral, with all 800 seats sold
and a waiting list of more than a hundred.

Open Voices has one unusual rule: there are no auditions. Anyone who wants to sing can join,
regardless of experience, age or ability to read music. The choir now has around 140 members,
ranging in age from 16 to 89, and rehearses weekly in two groups, one on Tuesday evenings and
another on Saturday mornings for those who work shifts.

"The only requirement is that you turn up and try," said Esther Obi, the choir's founder and
conductor. "Some of our members sang in choirs for decades. Some of them hadn't sung since
school, when a teacher told them to mime. That teacher was wrong."

## A varied programme

Saturday's concert mixed traditional choral music with folk songs, gospel, a sea shanty
arranged in eight parts and a new piece, commissioned by the choir, setting words written by
members about their favourite places in the city.

That piece, called Here, drew the longest applause of the evening. Its verses mention the bench
at the end of the Western Pier, the steps of the central library, the view from Beacon Hill
and, to the audience's delight, a particular bus stop on Cobble Hill where one member met her
husband in 1971.

## More than singing

Many members describe the choir as something closer to a community than a hobby. Several said
it had helped them through difficult periods, including bereavement, illness and loneliness
after moving to a new city.

"I lost my wife three years ago and I didn't go out for months," said Harold Jenkins, 81, who
sings bass. "My daughter more or less marched me to a rehearsal. I've been every week since.
You can't sing and feel sorry for yourself at the same time. It doesn't work."

The choir also runs a small hardship fund, so that nobody misses out because of the modest
membership fee, and organises lifts for members who cannot easily get to rehearsals.

After the success of the cathedral concert, the choir has been invited to perform at the
Harbour Lights festival in the summer and at a Christmas event at the maritime museum. Ms Obi
says the choir is also planning a concert with a children's choir from one of the city's
primary schools.

New members are always welcome. The choir's next intake begins in September, and anyone
interested can simply turn up to a Tuesday or Saturday rehearsal.
""",
        "days_ago": 22.1,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of many small rounded shapes in rows beneath tall "
                "pointed arches in soft gold"
            ),
            "caption": "Illustration: voices under the arches.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Harold J.",
                "body": "Thank you for the kind words. Still only mostly in tune.",
                "replies": [],
            },
        ],
        "shares": {"facebook": 58, "whatsapp": 15, "email": 7},
    },
    {
        "title": "Night market's newest stalls: dumplings, doughnuts and a very serious soup",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["food", "small-business"],
        "brief": (
            "Six new traders joined the Thursday night market in the Corn Exchange yard this "
            "spring. We ate our way around them so that you can make an informed choice."
        ),
        "body": """The Thursday night market in the Corn Exchange yard has become, over the
past three years, one of the more reliable pleasures of life in Harborview. From six o'clock,
around two dozen stalls set up under strings of lights, and the yard fills with the smell of
smoke, spice and frying dough.

This spring, six new traders joined the line-up, replacing stalls that had moved on to
restaurants of their own or retired. Over two Thursdays, I worked my way around all of them,
accompanied by a colleague with a bigger appetite than mine and a notebook that gradually
became illegible with grease.

## The newcomers

**Mirela's Dumplings.** The queue for this stall was the longest in the yard on both evenings,
and with good reason. Mirela Kovac makes her dumplings by hand throughout the evening, folding
them at a small table beside the pan, and you can watch the process while you wait. The pork
and cabbage filling is rich and well seasoned; the mushroom version, with a dipping sauce of
sour cream and dill, was even better. Six dumplings for £7.

**The Doughnut Lab.** Two former chemistry teachers run this stall, and they take their subject
seriously. Doughnuts are fried to order and filled from a set of labelled syringes, which is
either charming or unsettling depending on your point of view. The brown butter custard was the
best thing I ate across both evenings. The chilli chocolate was a bold idea that did not quite
work. From £2.50.

**Bowl.** A very serious soup stall. The menu changes weekly and usually offers two options,
one with meat and one without. On my first visit, a smoked haddock chowder was thick, smoky and
generous with the fish; on my second, a red lentil soup with lemon and cumin was bright and
warming. Served with a hunk of bread from the Crumb & Co bakery. £6 a bowl.

Three more are worth a look.

- **Saltmarsh Smokehouse** sells hot-smoked mackerel in soft rolls with pickled onion. Simple,
  excellent and extremely messy. £6.50.
- **Tortilla Sisters** makes fresh corn tortillas on a flat griddle, filled with slow-cooked
  beans, grilled vegetables or pulled pork. The salsa verde has a real kick. Two for £8.
- **Chai Wallah** offers spiced tea brewed in a big pan, plus cardamom buns. A good way to end
  the evening, especially on a cold night. Tea £2.50, buns £2.

## The verdict

It is a strong set of newcomers, and the market feels livelier for them. If you only have room
for one thing, go for Mirela's mushroom dumplings. If you have room for two, follow them with a
brown butter custard doughnut and walk it off along the quay.

A few practical notes. The market can get very busy from around seven o'clock, and some stalls
sell out of popular items by eight. Most traders accept cards, though a couple still prefer
cash. There are a handful of tables in the yard, but on busy nights you may find yourself
eating standing up or perched on the steps of the Corn Exchange, which is part of the
experience.

The organisers say they plan to add a small covered area this winter so the market can run
through the colder months without losing its crowds to the rain. They are also keen to hear
from potential new traders, particularly those offering dishes that are not already
represented. A long-running debate about whether there should be a stall dedicated entirely to
chips remains, for now, unresolved.

The night market runs every Thursday from 6pm to 10pm, except on public holidays.
""",
        "days_ago": 31.3,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of strings of warm light dots over rounded shapes in "
                "red, orange and cream"
            ),
            "caption": "Illustration: Thursday night under the lights.",
        },
        "editor_comments": [
            (
                "Note: Tortilla Sisters have since told us they now offer a vegan version of "
                "every filling. — L.M."
            ),
        ],
        "comments": [
            {
                "name": "Aoife",
                "body": "The brown butter custard doughnut changed my life. No notes.",
                "replies": [],
            },
            {
                "name": "Kwame",
                "body": "Bowl's chowder is the best thing in the yard. Fight for it.",
                "replies": [
                    {
                        "name": "Aoife",
                        "body": (
                            "Hard disagree, it's the dumplings. But the chowder is a close second."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Chip lobby",
                "body": "The chip stall debate must be resolved. We demand chips.",
                "replies": [],
            },
            {
                "name": "Rosa",
                "body": (
                    "Went last week based on this review and the queue for dumplings was 40 "
                    "minutes. Worth it though."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 84, "x": 20, "whatsapp": 31, "copy": 12},
    },
    {
        "title": "Cannery Wall mural restored after twenty years of weather",
        "section": "culture",
        "author": "lena-marchetti",
        "topics": ["arts", "history"],
        "brief": (
            "The giant mural of cannery workers on the harbour road, faded almost to "
            "nothing, has been repainted by its original artist with the help of a team of "
            "young apprentices."
        ),
        "body": """For two decades, drivers on the harbour road have passed a long brick wall
on which, if you looked carefully, you could just make out the ghostly outlines of figures in
aprons and headscarves, bent over long tables. By last year, the mural was so faded that many
newer residents had no idea it was there at all.

This month, the Cannery Wall mural has been brought back to life, repainted over six weeks by
its original artist, Delphine Achterberg, with the help of a team of five young apprentices.
The result is brighter, sharper and, in places, slightly different from the original.

The mural, which is around 60 metres long, depicts the women who worked in the fish canning
factories that once lined the harbour road. At their peak in the 1930s, the canneries employed
more than 2,000 people, most of them women and girls, many as young as fourteen.

## Back to the wall

Ms Achterberg painted the original mural in 2003 as part of a community project, working from
photographs and interviews with former cannery workers, several of whom were then in their
eighties. She used ordinary exterior paint, which, she admits, was not the best choice for a
wall facing the sea.

"The salt air ate it alive," she said. "Within five years it had started to fade, and by ten it
was peeling. I'd walk past and feel a bit guilty. Those women deserved better."

The restoration was funded by a local arts trust and the company that now owns the building
behind the wall, a storage business. This time, Ms Achterberg used specialist mineral paints
designed for exposed walls, and the surface was cleaned and sealed before painting began.

## New faces, old stories

While most of the mural has been restored to its original design, Ms Achterberg made some
changes. With the help of the maritime museum, she was able to identify several of the women in
the photographs she had worked from in 2003, and their names now appear in small lettering
beneath the figures.

She also added a new section at the eastern end, showing a group of women walking out of the
factory gates at the end of a shift, based on a photograph discovered in the museum's archive
last year. One of the women in the photograph, who was 16 at the time, is still alive, and came
to watch the final brushstrokes being applied.

"I told her I'd made her look a bit taller," said Ms Achterberg. "She said that was the least I
could do."

The five apprentices, all aged between 17 and 23, were recruited through a city arts programme
for young people. They helped with preparation, painting and the new lettering, and learned
techniques for working at scale on a large exterior surface.

One of them, Ife Adebayo, 19, said the project had given her a new appreciation for the city's
history. "I walked past this wall every day on the way to college and I never knew what it
was," she said. "Now I know the names of the people on it. My great-grandmother worked in a
cannery too. I didn't know that until I asked my nan about it during the project."

The restored mural was unveiled with a small ceremony on Saturday, attended by relatives of
several of the women depicted. The arts trust plans to install a plaque explaining the mural's
history and the names of the workers it shows.
""",
        "days_ago": 42.55,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a long horizontal band of muted figures in blues "
                "and rusts against brick red"
            ),
            "caption": "Illustration: the long wall, in bands of colour.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Sally",
                "body": (
                    "My nan is on that wall! Third from the left at the long table. We went "
                    "to the unveiling and she'd have loved it."
                ),
                "replies": [],
            },
            {
                "name": "Desmond",
                "body": "Looks wonderful. Good to see the names added this time.",
                "replies": [],
            },
        ],
        "shares": {"facebook": 66, "x": 17, "whatsapp": 8},
    },
    {
        "title": "Rovers clinch promotion with a stoppage-time winner at the Ropeworks",
        "section": "sport",
        "author": "devon-hale",
        "topics": ["football"],
        "brief": (
            "Harborview Rovers are going up. A header from substitute Kieran Bassey four "
            "minutes into added time beat Carrow Town 2-1 and sealed promotion with a game "
            "to spare."
        ),
        "body": """For eighty-nine minutes on Saturday afternoon, it looked as though
Harborview Rovers would have to wait another week. Then, four minutes into added time,
substitute Kieran Bassey rose above two defenders at the back post, met a looping cross from
Tyrone Adu, and sent the Ropeworks into a state of joyful chaos.

The 2-1 win over Carrow Town secures promotion to the national league's northern division with
a game to spare, ending a nine-year wait for a club that has twice finished in the play-off
places and twice fallen short.

"I don't really remember heading it," Bassey said afterwards, still in his kit and with his
shirt collar torn from the celebrations. "I remember the ball coming over and then I was under
about fifteen people. Somebody's dad was crying on me. It was brilliant."

## How the match unfolded

Rovers, needing a win to guarantee promotion, started nervously in front of a sell-out crowd of
4,200, the largest at the Ropeworks for more than a decade. Carrow, who had nothing to play for
but local pride, defended deep and frustrated the home side for much of the first half.

The breakthrough came just before half-time. Captain Liam Okafor won a free kick on the edge of
the area and Sammy Roque curled it over the wall and into the top corner, his fourteenth goal
of the season. The ground, which had been quiet with tension, erupted.

Carrow equalised twelve minutes into the second half when a long throw was only half cleared
and their centre-back, Dean Mallory, volleyed in from close range. For the next half hour,
Rovers pressed without finding a way through, and as the minutes ticked away, a draw, which
would have left promotion to be decided on the final day, began to look likely.

Manager Gail Sutherland made her final change with ten minutes remaining, sending on Bassey, a
20-year-old striker who had come through the club's academy and made only six previous league
appearances.

"We needed someone fresh who was good in the air, and Kieran has been brilliant in training,"
Sutherland said. "I'd love to claim it was a masterstroke. Mostly it was hope."

Rovers' promotion caps a season in which they have lost only four league games, and in which
Sutherland, in her second full season in charge, has built a team that combines a handful of
experienced players with several young players from the academy.

The club's finances, which were precarious five years ago, have also stabilised, helped by a
supporters' trust that now owns a 30 per cent stake and by a new partnership with the further
education college, which uses the club's facilities for its sports courses.

"This is a community club. It was always a community club, but for a while we forgot that,"
said Marjorie Flint, who chairs the supporters' trust. "Today, you could see it. Grandparents,
kids, people who've been coming for fifty years and people who came for the first time this
season."

## What promotion means

Promotion will bring a higher standard of opposition and longer away trips, and the club will
need to make improvements to the Ropeworks to meet the requirements of the higher division,
including additional covered seating and better floodlights.

The club says the work is already planned and partly funded, and that season ticket prices will
rise by less than inflation. It has also promised to keep the reduced-price under-18 tickets
that have helped increase attendances among young supporters this season.

Rovers play their final game of the season away at Ashford Green next Saturday. Sutherland says
she will use it to give minutes to some of her younger players, though she admitted that the
celebrations might make team selection difficult.

"I've told them they can enjoy tonight and tomorrow," she said. "By Tuesday, I want them back
in training and thinking about next season. Whether they'll listen is another question."

The club will hold an open-top bus parade along the waterfront on Sunday afternoon, starting
from the Ropeworks at 2pm.
""",
        "days_ago": 0.9,
        "featured": True,
        "cover": {
            "alt": (
                "Abstract illustration of a burst of green and white diagonal streaks "
                "radiating from a central point"
            ),
            "caption": "Illustration: the moment the ball went in.",
        },
        "editor_comments": [
            (
                "Update: The open-top bus parade will now start at 3pm, not 2pm, to allow "
                "the road closure on Quay Street to be put in place. — D.H."
            ),
        ],
        "comments": [
            {
                "name": "Rovers till I die",
                "body": (
                    "NINE YEARS. I was at the play-off final both times and I genuinely "
                    "thought I'd never see this. Thank you Kieran Bassey."
                ),
                "replies": [
                    {
                        "name": "Stu",
                        "body": (
                            "Was sat behind you in the East Stand I think, you were the one "
                            "who fell over the seat?"
                        ),
                        "replies": [
                            {
                                "name": "Rovers till I die",
                                "body": "That may have been me. No regrets.",
                                "replies": [],
                            },
                        ],
                    },
                ],
            },
            {
                "name": "Marjorie F.",
                "body": (
                    "What a day. Thank you to every volunteer who's kept this club going "
                    "through the hard years."
                ),
                "replies": [],
            },
            {
                "name": "Neutral Ned",
                "body": (
                    "Carrow fan here. Gutted to be the team on the wrong end of it, but fair "
                    "play, Rovers were the better side over the season."
                ),
                "replies": [],
            },
            {
                "name": "Gemma",
                "body": (
                    "Gail Sutherland is the best thing to happen to this club in twenty "
                    "years. Give her a ten-year contract."
                ),
                "replies": [
                    {
                        "name": "Chris",
                        "body": "And a statue.",
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Academy dad",
                "body": (
                    "Kieran used to play in the under-10s with my lad. Proud of him. *Proud "
                    "of all of them.*"
                ),
                "replies": [],
            },
            {
                "name": "Terry",
                "body": (
                    "Need to sort the floodlights before August. Hope the council helps with "
                    "funding."
                ),
                "replies": [],
            },
            {
                "name": "Sasha",
                "body": (
                    "Took my daughter to her first ever match on Saturday. She now thinks "
                    "every game ends like that. Oh dear."
                ),
                "replies": [
                    {
                        "name": "Gemma",
                        "body": "She'll learn. Welcome to the family!",
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Ken W.",
                "body": (
                    "Full highlights are up on the club's channel: [watch "
                    "here](https://example.org/rovers/highlights)."
                ),
                "replies": [],
            },
        ],
        "shares": {
            "x": 210,
            "facebook": 185,
            "whatsapp": 96,
            "reddit": 24,
            "telegram": 8,
            "copy": 30,
        },
    },
    {
        "title": "Junior rowers from a state school crew head to the national regatta",
        "section": "sport",
        "author": "devon-hale",
        "topics": ["rowing", "schools"],
        "brief": (
            "Four girls and their cox from Harbour Heights Academy, who learned to row in a "
            "borrowed boat on the inner basin, have qualified for the national junior "
            "championships."
        ),
        "body": """Three years ago, none of them had ever sat in a rowing boat. This summer, a
crew of four girls and their cox from Harbour Heights Academy will race at the national junior
rowing championships, after finishing second at the regional qualifying regatta last weekend.

The crew learned to row through a programme run by the Harborview Rowing Club, which offers
free sessions to pupils at state schools in the city. The club lends boats and equipment,
provides coaching, and runs sessions on the inner basin on weekday afternoons and Saturday
mornings.

"Rowing has a reputation for being a sport for people from certain backgrounds," said Neil
Osborne, the club's junior coach and a former international rower. "We wanted to change that,
and the only way to do it is to open the doors and say: come and have a go."

## From novices to contenders

The five members of the crew, who are all 16 or 17, joined the programme in their first year at
the school. They trained in an elderly four borrowed from the club's fleet, a boat so old it
had been due to be retired.

"It's heavy and it leaks a bit," said Jade Morrison, who rows in the stroke seat, setting the
rhythm for the rest of the crew. "But it's ours. We've named it. We're not telling you the
name."

By their second year, the crew was winning novice races at local regattas. This season, they
moved up to the junior category and started training six times a week, including early mornings
before school.

At the regional qualifier, held on a reservoir in the valley, the crew finished second in the
final of the junior coxed four, less than a second behind a crew from a well-funded independent
school.

## Help with the costs

Getting to the national championships is not cheap. The crew will need to travel and stay for
three days, and the club has been fundraising to cover the costs, including a hired boat
trailer and accommodation.

Parents and supporters have organised a sponsored row on machines in the school sports hall,
aiming to cover the distance from Harborview to the championship venue, around 340 kilometres.
Local businesses have also chipped in, and a bakery on Cobble Hill has promised to supply food
for the journey.

Amira Suleiman, the crew's cox, whose job is to steer the boat and direct the rowers, said the
support had been overwhelming. "People we don't even know have been giving money. Our teachers,
our neighbours. It makes you want to do well for them."

The crew will be up against some of the strongest junior crews in the country, and Mr Osborne
is careful to manage expectations. "Reaching the final would be a fantastic result. Anything
beyond that would be extraordinary," he said. "But I've learned not to underestimate these
girls."

The crew's own ambitions are a little bolder. "We're going there to win," said Jade. "We might
not, but we're going to try."
""",
        "days_ago": 10.4,
        "featured": False,
        "cover": None,
        "editor_comments": [
            (
                "Follow-up: The crew reached the A final at the national championships and "
                "finished fifth, the best result by a Harborview state school crew on "
                "record. Congratulations to all five. — D.H."
            ),
        ],
        "comments": [
            {
                "name": "Ms Patel (HHA)",
                "body": "Everyone at Harbour Heights is so proud of this crew. Go girls!",
                "replies": [],
            },
            {
                "name": "Ex-rower",
                "body": "This is exactly what rowing needs. Brilliant work by the club.",
                "replies": [
                    {
                        "name": "Neil O.",
                        "body": (
                            "Thank you. We're always looking for volunteer coaches if you "
                            "fancy getting back on the water."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 72, "x": 26, "whatsapp": 19, "email": 4},
    },
    {
        "title": "Harborview half marathon moves off the bridge for this year's race",
        "section": "sport",
        "author": "devon-hale",
        "topics": ["transport", "health"],
        "brief": (
            "Repairs to Anchor Bridge mean the half marathon will follow a new route along "
            "the northern shore and through Fenwick Park. Organisers say it should be "
            "flatter, and possibly faster."
        ),
        "body": """This year's Harborview half marathon will follow a new route, avoiding
Anchor Bridge, which will be partly closed for repairs on race day, organisers have confirmed.

The race, which attracts around 6,000 runners each autumn, has crossed the bridge twice in
previous years, once heading north at around the three-mile mark and once heading south near
the finish. The bridge's sharp incline has long been a talking point among runners, some of
whom regard it as a fitting challenge and others as a cruel joke.

This year, the route will instead head east along the harbour road, loop around the northern
shore past the shipyard, and return through Fenwick Park before finishing, as usual, on the
Western Green.

## Flatter and faster

The new course has been measured and certified by the sport's governing body, and organisers
say it is noticeably flatter than the old route, with a total climb of around 40 metres
compared with almost 90 metres on the previous course.

"We've had a lot of runners asking if this means they'll get a personal best," said Carla
Menzies, the race director. "I can't promise that, because the weather has the final say. But
on paper, yes, this should be a quicker course."

The route also passes several landmarks that were not previously on the course, including the
Calder & Rowe shipyard, where the company has said it will open its gates so runners can see a
vessel under construction, and the restored Cannery Wall mural.

## Road closures

The change means different road closures from previous years. The harbour road will be closed
eastbound from 8am until around 12.30pm, and roads around Fenwick Park will be closed from 9am
until 1pm. Buses on routes 14 and 40 will be diverted during the race.

Residents along the new route will receive letters explaining the closures, and organisers say
they will make sure access is maintained for emergency vehicles and for residents who need to
leave their homes during the race.

Some residents in Fenwick Park have raised concerns about access to a church and a care home on
race morning. Organisers say they are working with both to arrange marshalled crossing points.

As in previous years, many runners will be raising money for charity, and the race's official
charity this year is a local hospice. Entries are still open, and organisers say they are
particularly keen to encourage first-time runners, with a free eight-week training plan
available on the race website and weekly group training runs starting from the Western Green on
Sunday mornings.

Anchor Bridge is expected to reopen fully by next spring, and organisers say they will decide
later whether to return to the old route or keep the new one. Judging by the early reaction
from runners, the flatter option may prove popular.
""",
        "days_ago": 17.15,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a winding orange line looping around blue and "
                "green blocks"
            ),
            "caption": "Illustration: the new route, loosely drawn.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Sub-2 dreamer",
                "body": "Flatter course?! This is my year.",
                "replies": [
                    {
                        "name": "Harbour Harriers",
                        "body": (
                            "The wind along the northern shore might have something to say "
                            "about that."
                        ),
                        "replies": [],
                    },
                ],
            },
        ],
        "shares": {"facebook": 45, "x": 18, "whatsapp": 12},
    },
    {
        "title": "Amateur cycling league returns to the Harrow Ridge circuit",
        "section": "sport",
        "author": "devon-hale",
        "topics": ["cycling"],
        "brief": (
            "After a four-year break, the Tuesday evening road race series is back on the "
            "closed circuit below Harrow Ridge, with new categories for juniors, veterans "
            "and first-time racers."
        ),
        "body": """On a warm Tuesday evening last week, around 90 riders lined up on a closed
loop of road below Harrow Ridge for the first race of the revived Harborview Evening League, a
series of amateur road races that last ran four years ago.

The league, organised by the Harborview Wheelers cycling club, uses a 2.4-kilometre circuit
around a former airfield that is now closed to traffic. It ran for almost thirty years before
the club lost access to the site when it changed hands. After lengthy negotiations with the new
owners, a farming business, the club has secured a five-year agreement to use the circuit on
Tuesday evenings from April to August.

"We've missed it enormously," said Patrick Haldane, the club's chair, who has raced on the
circuit since the 1990s. "For a lot of local riders, this was where they first pinned on a
number. Having it back feels like getting a piece of the club back."

## Something for everyone

The new series has been designed to attract a wider range of riders than before. Alongside the
traditional races for experienced riders, there are now separate races for juniors aged 12 to
16, for veterans over 50, and, in a first for the league, a category for riders who have never
raced before.

The novice race is shorter, held at a controlled pace for the first few laps, and includes a
briefing on racing skills such as riding in a group and taking corners safely. Riders can only
enter the novice category for three races before moving up.

"Road racing can be intimidating. You're riding very close to other people at speed, and it can
feel like everyone else knows what they're doing," said Rachel Kimura, who coordinates the
novice races. "We want people to learn in a supportive environment. Nobody should be shouted at
for making a mistake in their first race."

The first evening's novice race attracted 22 riders, including a retired firefighter, two
sisters who had bought their first road bikes over the winter, and a postman who said he had
spent years cycling on his round and decided to see how fast he could go without a bag.

## Safety first

Safety has been a particular focus for the revived league. Every race has a first-aid team on
site, and riders must wear helmets and have their bikes checked before racing. The club has
also invested in new barriers for the circuit's finishing straight.

The circuit itself has been resurfaced in places by the landowner, removing several potholes
that riders remembered with little affection from the league's earlier years.

Cycling has grown in popularity in Harborview over the past decade, helped by new cycle routes
in the city and along the valley. The Wheelers' membership has risen from around 150 to more
than 400 in that time, and the club now runs regular group rides for beginners as well as a
youth section.

Mr Haldane hopes the league will help introduce new riders to racing, and perhaps even produce
a future champion. "The circuit has seen a few riders go on to race at a high level," he said.
"But mostly it's about people enjoying themselves on a summer evening. If we get that right,
everything else follows."

The league runs every Tuesday evening until the end of August, with racing from 6.30pm. Entry
costs £8 for adults and £3 for juniors, and spectators are welcome free of charge. A burger van
has been promised, weather permitting.
""",
        "days_ago": 26.35,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Postie Pete",
                "body": "That postman was me. Came fourth. Legs still hurt.",
                "replies": [],
            },
            {
                "name": "Lou K.",
                "body": "The novice race is such a good idea. I'd never have tried otherwise.",
                "replies": [],
            },
        ],
        "shares": {"x": 27, "facebook": 31, "reddit": 8},
    },
    {
        "title": "The lido swimmers who never stop for winter",
        "section": "sport",
        "author": "devon-hale",
        "topics": ["parks", "health"],
        "brief": (
            "The Beacon Lido officially closes in September. For the Blue Lips club, that is "
            "when the season gets interesting. We joined them for a dawn swim in water just "
            "above six degrees."
        ),
        "body": """At a quarter to seven on a dark morning, the thermometer hanging from the
railing at the Beacon Lido reads 6.4 degrees. There is frost on the paving around the pool and
a thin mist lying over the water. A dozen people in dressing gowns and woolly hats are chatting
cheerfully at the pool's edge, as though this is a perfectly normal way to start a Wednesday.

They are members of the Blue Lips Swimming Club, a group of around 80 people who swim in the
unheated outdoor pool year-round. The lido officially closes to the public at the end of
September, but the club has an arrangement with the council to use it on weekday mornings and
Sunday afternoons throughout the winter, with a trained lifeguard from among its members on
duty at every session.

## Why do it?

Ask the swimmers why they get into cold water in the middle of winter, and you get a range of
answers. Some talk about the rush of endorphins. Others say it helps with stress, or that they
sleep better. Several mention the friendships they have made.

"You can't think about anything else when you're in there," said Moira Caldwell, 63, a retired
social worker who has swum with the club for seven years. "All the worries, all the lists, they
just disappear. For three or four minutes it's just you and the cold. And then you get out and
have the best cup of tea of your life."

Scientists are still debating the health benefits of cold-water swimming. Some studies suggest
it may improve mood and circulation, but the evidence is limited, and experts stress that it
carries genuine risks, particularly for people with heart conditions.

## Doing it safely

The club takes safety seriously. New members must attend an induction session and are
encouraged to start swimming in the autumn, when the water is still relatively warm, and to
acclimatise gradually as temperatures drop.

The club's guidance is simple and strict:

- Never swim alone, and always tell someone on the side how long you plan to stay in.
- Get in slowly and control your breathing before you start swimming.
- As a rough rule, stay in for no more minutes than the water temperature in degrees, and less
  when you are new.
- Warm up gradually afterwards with dry layers and a hot drink, not a hot shower.

"Cold water isn't something to be brave about," said Alan Tremaine, the club's safety officer
and a former coastguard volunteer. "The people who get into trouble are the ones who try to
stay in too long or push themselves to prove something. We'd much rather someone got out after
two minutes and came back next week."

After the swim, members gather in a small hut beside the pool, where a rota of volunteers
brings flasks of tea and, on Fridays, homemade cake. Conversation ranges widely, from the
morning's water temperature to grandchildren, gardens and the best kind of gloves.

For some members, the club has been a lifeline. Kofi Mensah, 45, started swimming after a
period of depression following a redundancy. "I didn't want to talk to anyone," he said. "But
you can't not talk here. Someone hands you a tea, someone asks you how cold it was. Three years
later, these are some of my closest friends."

The club welcomes new members and will hold its next induction sessions in early October. It
recommends that anyone with a medical condition speak to their doctor before taking up
cold-water swimming.
""",
        "days_ago": 40.6,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of pale blue rectangles with small bright dots above, "
                "like swimmers in a cold pool at dawn"
            ),
            "caption": "Illustration: dawn at the lido.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Moira C.",
                "body": (
                    "Lovely to have you with us, Devon. You lasted longer than most first-timers!"
                ),
                "replies": [],
            },
            {
                "name": "Chilly Willy",
                "body": "The Friday cake is the real reason to join.",
                "replies": [],
            },
            {
                "name": "Dr P.",
                "body": (
                    "Good to see the safety guidance given such prominence. The first minute "
                    "is the risky bit for most people."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 53, "x": 14, "whatsapp": 10, "email": 3},
    },
    {
        "title": "Opinion: Car-free Saturdays deserve a fair trial, and a fair hearing",
        "section": "opinion",
        "author": "helen-ashdown",
        "topics": ["transport", "waterfront"],
        "brief": (
            "The Quay Street trial will be argued about for two years. The most useful thing "
            "the rest of us can do is agree now on what success and failure would look like."
        ),
        "body": """Within an hour of the council's vote on Tuesday night, our comments section
had filled with predictions. The waterfront would become a ghost town. The waterfront would
become a European piazza. The buses would grind to a halt. Nobody would notice anything at all.

They cannot all be right, and the honest answer is that nobody knows yet. That is rather the
point of a trial. So before the first cones go out next month, I want to make a modest
suggestion: that all of us, supporters and sceptics alike, agree now on what we will be looking
for, so that in two years' time we are arguing about evidence rather than shouting past each
other.

## What we should measure

The council has promised to publish footfall figures from automatic counters, takings data from
traders who agree to share it, and surveys of residents on neighbouring streets. That is a good
start. But numbers alone can be made to say almost anything, depending on which month you pick
and what you compare it with.

So here is what I would like to see, and what this newsroom will be asking for:

- Saturday footfall compared not only with last year, but with weekdays on the quay and with
  Saturdays on other shopping streets, so we can separate the effect of the closure from the
  weather and the wider economy.
- Takings broken down by type of business, because a cafe and a hardware shop may have very
  different experiences, and an average would hide both.
- Journey times on the diverted bus route, measured rather than estimated.
- Traffic counts on the residential streets around Ropewalk and Mercer Street, before and
  during the trial.
- Views from disabled residents, who are too often consulted at the start of a scheme and
  forgotten by the end.

None of this is exotic. Most of it is already planned. What matters is that it is published
regularly and in full, not saved up for a single glossy report at the end.

## A word to both sides

To the trial's supporters: if the data shows that some businesses are genuinely suffering, that
is not a victory for cynics but a problem to be solved. A car-free quay that empties the
hardware shop and fills it with a fourth coffee chain is not the waterfront most people want.

To its opponents: if the data shows footfall rising and most traders doing well, that is not a
conspiracy. It is the answer to the question the council asked. Mr Fairbairn made his case at
the meeting with real dignity, and he deserves to have the evidence taken seriously in both
directions.

We will report on the trial regularly, including the figures, the complaints and the surprises.
We will talk to traders at both ends of the quay, not only the ones who are happy to talk. And
if we get something wrong, we will say so, as we always try to.

Two years is a long time in local politics. It is not very long at all for a street to find out
what it might become. Let us give it a fair trial, and then give it a fair hearing.
""",
        "days_ago": 0.2,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Colin F.",
                "body": (
                    "Thank you for this. All we've ever asked is that the numbers are honest "
                    "and that someone listens when things go wrong."
                ),
                "replies": [],
            },
            {
                "name": "Jas",
                "body": (
                    "The point about comparing with other shopping streets is really "
                    "important. Otherwise a sunny summer will be credited to the closure."
                ),
                "replies": [
                    {
                        "name": "Tomas Reyes",
                        "body": (
                            "Exactly the kind of comparison we'll be asking officers for. "
                            "We'll publish whatever they give us."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "M. Osei",
                "body": (
                    "A thoughtful piece. I'll make sure the monthly data includes the "
                    "comparisons suggested here."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 37, "facebook": 42, "linkedin": 6, "email": 5, "copy": 3},
    },
    {
        "title": "Analysis: Where Harborview's £412 million actually goes",
        "section": "opinion",
        "author": "helen-ashdown",
        "topics": ["budget", "council"],
        "brief": (
            "Arguments about the Fenwick pool have put the city budget in the spotlight. "
            "Here is a plain guide to where the money comes from, where it goes, and why so "
            "little of it is up for grabs."
        ),
        "body": """The public hearing on the city's draft budget on Monday was dominated by a
single question: can the council find £2.3 million over three years to repair the Fenwick Park
pool? In a budget of £412 million, many readers have written to ask, surely that is a rounding
error?

It is a fair question, and answering it properly means looking at how the council's budget
actually works. What follows is an attempt to set it out as plainly as possible, using the
figures in the draft budget published last month. It is not an argument for or against the
pool. It is an attempt to show the shape of the problem.

## Where the money comes from

The council's day-to-day spending is funded from a handful of sources. Roughly, and rounding
generously:

- Council tax pays for a little over a third.
- A share of business rates collected in the city pays for around a fifth.
- Government grants, many of them tied to particular services, pay for around a quarter.
- Fees and charges, from parking to planning applications to leisure centre tickets, cover most
  of the rest.

The council cannot raise council tax by more than a set percentage each year without holding a
local referendum, and the draft budget already proposes an increase close to that limit.
Government grants for next year have not yet been confirmed, which is one reason the draft is
cautious.

## Where it goes

Here is how the £412 million is divided between the council's main areas of spending:

1. Adult social care, including care homes and support for people in their own homes: about
   £136 million, or a third of the total.
2. Children's services, including social workers, foster care and support for children with
   special needs: about £82 million.
3. Corporate costs, including IT, finance, legal services, council tax collection and
   elections: about £49 million.
4. Highways and transport, including road repairs, street lighting and concessionary bus fares:
   about £37 million.
5. Waste collection, recycling and street cleaning: about £33 million.
6. Repaying and servicing debt taken on for past building projects: about £29 million.
7. Housing and homelessness: about £25 million.
8. Libraries, parks, leisure, museums and culture combined: about £21 million.

Two things stand out. First, more than half the budget goes on social care for adults and
children. These are services the council is legally required to provide to anyone who
qualifies, and demand for both has been rising faster than inflation for years, as the
population ages and the needs of vulnerable children become more complex.

Second, the things many residents think of when they think of "the council", such as parks,
libraries, pools and museums, account for only about five pence in every pound.

The practical effect is that the money councillors can genuinely choose how to spend is far
smaller than £412 million. Social care costs are largely driven by need. Debt repayments are
fixed. Bin collections must happen. Once all of that is accounted for, officers estimate that
only around £40 million a year is truly discretionary, and much of that is already committed to
contracts and staff.

Seen in that light, £2.3 million is not a rounding error. It is around six per cent of the
money councillors have any real freedom over, and around a tenth of the entire annual budget
for libraries, parks, leisure and culture.

None of this means the pool cannot be saved. It means that saving it involves choices, and the
public is entitled to see them set out clearly. Based on the draft budget and what officers
have said publicly, the options appear to include:

- Phasing the repairs, starting with the filtration plant, to spread the cost over a longer
  period.
- Borrowing for the repairs, which would add to debt costs for years to come.
- Seeking external funding from sport or health bodies, which is uncertain and often slow.
- Reducing spending elsewhere in leisure and culture, which would mean cuts to other
  facilities.
- Raising some fees and charges, such as parking, which the draft budget already proposes.

Each of these has costs and critics. What the city needs now is for the council to publish the
options side by side, with their costs and consequences, before the final budget vote, so that
residents can judge the trade-offs for themselves.

We have asked the council to do exactly that, and we will report what it says.
""",
        "days_ago": 8.5,
        "featured": False,
        "cover": {
            "alt": "Abstract illustration of a large circle divided into uneven coloured segments",
            "caption": "Illustration: the budget, sliced.",
        },
        "editor_comments": [
            (
                "Clarification: The figure of around £40 million in discretionary spending "
                "is an estimate given by council finance officers at a briefing for "
                "journalists. It has not yet been published in the budget papers. — H.A."
            ),
        ],
        "comments": [
            {
                "name": "Accountant in Northgate",
                "body": "Really clear. Wish the council's own documents were written like this.",
                "replies": [],
            },
            {
                "name": "Jen",
                "body": (
                    "Five pence in every pound for libraries, parks, pools and museums. That "
                    "is *sobering*."
                ),
                "replies": [
                    {
                        "name": "Phil",
                        "body": (
                            "And yet they're the things people use every week. No wonder the "
                            "hearing was packed."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "R. Mensah",
                "body": (
                    "Would be interesting to see how these proportions have changed over the "
                    "last ten years."
                ),
                "replies": [
                    {
                        "name": "Helen Ashdown",
                        "body": (
                            "Good idea. We're digging out the older budget papers and will "
                            "follow up."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Gareth",
                "body": "Borrowing for a pool seems reasonable to me. It's a 30-year asset.",
                "replies": [],
            },
        ],
        "shares": {"x": 61, "facebook": 49, "linkedin": 27, "reddit": 19, "email": 16, "copy": 8},
    },
    {
        "title": "Opinion: Let the new market hall keep a little of its roughness",
        "section": "opinion",
        "author": "lena-marchetti",
        "topics": ["waterfront", "history", "arts"],
        "brief": (
            "The ferry terminal's conversion is good news. But the best old buildings wear "
            "their history openly, and it would be a shame to polish every scuff and stain "
            "away."
        ),
        "body": """I went to look at the old ferry terminal last week, the day after the
planning board approved its conversion into a market hall. I peered through the gap in the
hoarding, as I suspect half the city has done at some point, and saw what I always see: the
long, high waiting hall, grey light falling through grimy glass, a few pigeons, and those
extraordinary green and cream tiles running along the walls, cracked in places and stained with
decades of rain.

It is, by any ordinary standard, a mess. It is also one of the most beautiful interiors in
Harborview.

## The temptation to tidy

I am delighted that the building is being brought back to life, and that it is being done by a
community society rather than a developer. The plans are thoughtful, and the planning board's
conditions, including the requirement to keep the original tiles wherever possible, are
sensible.

But I want to make a small plea to everyone involved, from the architects to the contractors to
the shareholders like me who will be asked for their views: please resist the temptation to
make it too perfect.

We have all seen restorations that go too far. Old warehouses converted into offices where
every brick has been sandblasted to the same shade of orange, every beam sanded smooth, every
trace of previous use scrubbed away. The result looks clean and expensive, and faintly
lifeless, like a photograph of a building rather than a building.

## What a building remembers

The terminal's roughness is not just decoration. It is a record. The worn steps at the eastern
entrance were shaped by millions of feet heading to the boats. The patched section of tiling
near the old ticket office, where a different shade of green was used in the 1950s, tells you
about a repair made by someone who did their best with what they had. The faded painted sign
above the southern doorway, still just legible, gives departure times for a ferry that has not
run in twenty years.

None of this needs to be preserved in aspic. A market hall must be safe, warm, dry and usable,
and some things will have to change. But where a mark or a scuff or a faded sign can be kept
without harm, I would ask that it is.

There is another argument for restraint, which is about the future rather than the past. A
building that is finished to a glossy standard tends to resist change. A building that is a
little rough, a little open, invites people to add to it: a new stall sign, a mural, a
noticeboard, a bench someone has made.

The best markets I have visited feel as though they were assembled over time by many hands,
rather than designed in a single stroke. I would love the terminal to feel like that in ten
years, with new layers added to the old ones rather than replacing them.

Mr Adeyemi, who chairs the society, said the market should be a place where people can start
something. I agree. Let it also be a place where the traces of everything that went before are
still visible, for anyone who cares to look.
""",
        "days_ago": 19.25,
        "featured": False,
        "cover": None,
        "editor_comments": [],
        "comments": [
            {
                "name": "Architect, retired",
                "body": (
                    "Well said. The worst thing you can do to an old building is make it look new."
                ),
                "replies": [],
            },
            {
                "name": "Owen A.",
                "body": (
                    "Message received, Lena. The tiles are staying, including the mismatched "
                    "1950s patch."
                ),
                "replies": [],
            },
        ],
        "shares": {"facebook": 28, "x": 15, "email": 4},
    },
    {
        "title": "Analysis: The numbers behind the empty-flats debate",
        "section": "opinion",
        "author": "tomas-reyes",
        "topics": ["housing"],
        "brief": (
            "1,140 empty rooms above shops sounds like a housing solution in waiting. The "
            "real figure that could become homes soon is much smaller, but that does not "
            "make the effort pointless."
        ),
        "body": """When the council published its survey of empty space above shops last week,
the headline figure travelled fast. 1,140 empty flats and rooms, in a city with more than 3,000
households on the social housing waiting list. Several readers wrote in to ask, reasonably
enough, why the council does not simply fill them.

It is worth looking more closely at what the survey found, because the headline figure is both
accurate and, on its own, a little misleading.

## From 1,140 to a few hundred

Start with the 1,140. The survey counted every upper-floor space above a ground-floor shop that
appeared to be empty or used only for storage. Around two thirds of these, roughly 760, had
once been used as homes. The rest had always been offices, storerooms or workshops, and
converting them would mean a change of use, with all the planning and building work that
involves.

Of the 760 former homes, the surveyors were able to look inside about a third. Of those, they
judged that fewer than half could be made habitable without major structural work, such as a
new staircase, a separate entrance from the street, or significant fire safety improvements.

If that proportion holds across the rest, the number of flats that could be brought back into
use relatively quickly and cheaply is probably somewhere between 250 and 350. The rest would
need more substantial work, or the cooperation of owners who may have little interest in
becoming landlords.

## Why 150 is a sensible target

Against that background, the council's target of bringing 150 flats back into use over five
years looks less timid than it first appears. It would mean reaching around half of the flats
that are realistically available, which would be a decent result for a voluntary scheme.

It is also worth remembering what those 150 flats would and would not do. They would house
perhaps 200 to 250 people, mostly single people and couples, since few of the flats are large
enough for families. That is meaningful for the people concerned, and for the high streets,
which benefit from having residents living above the shops. But it would make only a small dent
in a waiting list of more than 3,000 households.

None of this is an argument against the scheme. Empty flats above shops are a waste, and
bringing them back into use has benefits beyond the homes themselves. Streets with people
living on them tend to feel safer at night, and residents spend money in local shops. Several
other cities have found that a few successful conversions encourage neighbouring owners to
follow.

But it is an argument for being realistic about what the scheme can achieve, and for not
treating it as a substitute for building new homes. By the council's own figures, the city
needs around 900 new homes a year to keep up with demand, and it has delivered fewer than 600 a
year on average over the past five years.

The empty flats are a real opportunity. They are not a hidden solution. Both of those things
can be true at once, and the debate will be better if we keep them both in mind.
""",
        "days_ago": 34.45,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of a grid of windows, a few lit in yellow and most dark grey"
            ),
            "caption": "Illustration: the empty rooms above the street.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Housing officer (off duty)",
                "body": (
                    "This is a really fair summary. The fire safety point is the one that "
                    "kills most of the conversions I've seen."
                ),
                "replies": [],
            },
            {
                "name": "Daniela",
                "body": (
                    "Thank you for doing the maths. I was one of the people who wrote in and "
                    "this makes sense."
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 22, "linkedin": 17, "facebook": 19, "reddit": 6},
    },
    {
        "title": "Analysis: Is Harborview getting wetter?",
        "section": "opinion",
        "author": "amara-quist",
        "topics": ["weather", "environment"],
        "brief": (
            "After two very wet winters, many readers are convinced the city's weather has "
            "changed. The long-term records say yes, in some ways, but the picture is more "
            "complicated than a single number."
        ),
        "body": """If you have lived in Harborview for any length of time, you will have an
opinion on whether the weather has changed. After two unusually wet winters, including the one
that brought the Millbrook floods, many readers have written to tell us that it rains more than
it used to, that the storms are worse, and that the summers are either hotter and drier or,
depending on who you ask, more miserable than ever.

Memory is an unreliable guide to weather. So I went looking for the numbers, using the
long-running weather station at the university's agricultural site on the edge of the city,
which has kept daily rainfall records since 1908, and records from several smaller stations in
the valley.

The short answer is that some things have clearly changed, some have not, and the changes that
matter most are not always the ones people notice.

Average annual rainfall at the university station has risen over the past century, but not
dramatically. The average for the last thirty years is about 6 per cent higher than the average
for the first thirty years of the record. Year-to-year variation is large, and several of the
wettest years on record came in the 1920s and 1950s.

So if your question is simply whether Harborview gets more rain in total than it did, the
answer is yes, a little. But that is not where the most interesting change lies.

The more striking change is in when the rain falls. Winters have become noticeably wetter, with
average winter rainfall around 15 per cent higher over the last thirty years than in the
mid-20th century. Summers, meanwhile, show no clear trend in total rainfall, but more
variability, with a greater tendency for long dry spells broken by short, heavy downpours.

That pattern is consistent with what climate scientists expect for this part of the world as
the climate warms. Warmer air can hold more moisture, which tends to make wet periods wetter.
The path of storms coming in from the ocean also appears to have shifted, bringing more of them
across the region in winter.

## How it rains: heavier downpours

The change that matters most for flooding is the intensity of rainfall, and here the records
show a clear trend. The number of days each year with more than 25 millimetres of rain at the
university station, roughly an inch, has increased from an average of around three a year in
the mid-20th century to around five a year over the last two decades.

That may not sound like much, but heavy rain days are the ones that overwhelm drains, send
rivers over their banks, and cause surface water to collect in low-lying streets. Dr Olu
Bankole, who has studied the city's long-term weather and tide records, puts it simply:

> "It's not the total that floods your kitchen. It's how much falls in a few hours, and what
> the river and the sea are doing at the same time."

That last point matters in Harborview, where heavy rain sometimes coincides with high tides,
making it harder for rivers and drains to empty into the harbour. The tide gauge records show
that extreme high waters are also becoming more frequent.

## What it means for the city

The practical consequences are already being felt. The drainage system in much of the older
city was designed in the late 19th and early 20th centuries, when heavy downpours were less
frequent. The city's engineers estimate that parts of the network can now be overwhelmed by the
kind of storm that might be expected every two or three years, rather than every ten.

The council's response includes the Millbrook flood defences, a programme of larger drains in
several low-lying areas, and a growing emphasis on what engineers call "slowing the flow",
using parks, green roofs, planted verges and even school playgrounds to hold water temporarily
during heavy rain rather than sending it straight into the drains.

Dr Bankole argues that these small measures, taken together, matter more than people realise.
"A rain garden on one street doesn't look like much," he said. "A thousand of them across a
city start to make a real difference to how much water reaches the drains at the same moment."

None of this means every reader's impression is right. Several people who wrote to us said
summers used to be reliably sunny, which the records do not support: the city's summers have
always been changeable, and some of the wettest on record came in the 1950s. Others felt snow
had vanished entirely, which is closer to the truth; days with lying snow have fallen sharply.

What the records do support is the sense that the city's weather has become more extreme in
ways that matter. Wetter winters, heavier downpours and more frequent high tides, all at once,
are a challenge that Harborview's Victorian drains were never designed to meet.

The good news is that generations of observers, out in all weather with a notebook and a rain
gauge, have left us a century of careful measurements to plan with.
""",
        "days_ago": 54.7,
        "featured": False,
        "cover": {
            "alt": (
                "Abstract illustration of slanting blue lines over stacked bars of varying heights"
            ),
            "caption": "Illustration: a century of rain, stacked.",
        },
        "editor_comments": [],
        "comments": [
            {
                "name": "Weather nerd",
                "body": (
                    "Heavy-rain days going from three to five a year is exactly the stat "
                    "that matters. Great piece."
                ),
                "replies": [],
            },
            {
                "name": "Brenda",
                "body": (
                    "I was one of the people who insisted summers used to be sunny. Consider "
                    "me corrected!"
                ),
                "replies": [
                    {
                        "name": "Amara Quist",
                        "body": (
                            "You were in excellent company, Brenda. Almost everyone "
                            "remembers the sunny ones."
                        ),
                        "replies": [],
                    },
                ],
            },
            {
                "name": "Sunil",
                "body": (
                    "Would love a follow-up on rain gardens. Can residents build them on "
                    "their own street?"
                ),
                "replies": [],
            },
        ],
        "shares": {"x": 44, "facebook": 36, "reddit": 25, "linkedin": 8, "email": 7},
    },
]
