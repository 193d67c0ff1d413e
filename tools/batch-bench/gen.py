#!/usr/bin/env python3
# Synthetic news articles for the batch benchmark, from sentences written here (no corpora).
import json, random, sys
random.seed(7)
people = ["Marieke de Vries", "Jan Bakker", "Amina Yusuf", "Carlos Mendes", "Li Wei", "Sofia Rossi", "Tomasz Nowak",
          "Grace Okafor", "Hiroshi Sato", "Elena Petrova", "David Cohen", "Fatima Zahra", "Lars Nilsson", "Priya Nair"]
roles = ["the finance minister", "a spokeswoman for the union", "the mayor", "an economist at a Dutch bank",
         "the company's chief executive", "a senior diplomat", "the police chief", "a professor of law"]
places = ["Rotterdam", "Lagos", "Lisbon", "Beijing", "Milan", "Warsaw", "Nairobi", "Tokyo", "Moscow", "Oslo", "Chennai", "Lyon"]
orgs = ["the European Commission", "the city council", "the central bank", "the port authority", "the health ministry",
        "the United Nations", "the transport union", "the national rail operator"]
topics = ["the new budget", "a strike at the port", "rising energy prices", "the cycling plan", "talks on a trade deal",
          "the flood defences", "a hospital reform", "the election results"]
days = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "on Saturday", "late on Sunday"]
quotes = ["We will not accept a deal that leaves workers behind", "The numbers speak for themselves",
          "This is a difficult moment, but we are ready", "Nobody takes these decisions lightly",
          "We expect talks to resume next week", "The plan is expensive and it will not work",
          "Our priority is the safety of every family", "There is still time to find an agreement"]
cues = ["said", "told reporters", "said in a statement", "wrote on social media", "added", "warned"]

def sentence():
    p, r, pl, o, t, d = (random.choice(x) for x in (people, roles, places, orgs, topics, days))
    q, c = random.choice(quotes), random.choice(cues)
    forms = [
        f'"{q}," {c} {p}, {r}.',
        f'{p}, {r}, {c} that {o} would discuss {t} in {pl} {d}.',
        f'According to {p}, {o} had underestimated the cost of {t}.',
        f'"{q}," {p} {c}. "{random.choice(quotes)}."',
        f'Officials in {pl} met {d} to discuss {t}, {o} {c}.',
        f'{o.capitalize()} published new figures {d}, showing that support for {t} had fallen in {pl}.',
        f'Residents of {pl} — many of them commuters — said they feared the effects of {t} 🚆.',
    ]
    return random.choice(forms)

n = int(sys.argv[1])
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for i in range(n):
        paras = []
        for _ in range(random.randint(6, 14)):
            paras.append(" ".join(sentence() for _ in range(random.randint(2, 4))))
        if i % 997 == 0:
            f.write("{this line is broken\n")  # bad lines are reported and skipped
        f.write(json.dumps({"id": f"a{i:05d}", "title": f"Article {i}", "text": "\n\n".join(paras)}, ensure_ascii=False) + "\n")
