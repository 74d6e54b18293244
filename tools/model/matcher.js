/*
 * tools/model/matcher.js: virtual-alexa's matcher, made to follow Alexa on numbers and to stay fast on a large model.
 *
 * Call both before building a VirtualAlexa (tools/model/resolve.js does; tools/alexa.js can):
 *   teachNumberWords()    virtual-alexa 0.7.8 matches AMAZON.NUMBER only as digits or the words "one" to
 *                         "twenty", so "rest forty five seconds" matches no sample, though Alexa resolves it to 45.
 *                         This adds the words for 0 to 999 ("forty five", "one hundred twenty", "one hundred and
 *                         twenty", "a hundred"), and sends the slot's value as Alexa does: digits ("45"), so the
 *                         skill reads only digits, as in production.
 *   compileSamplesOnce()  virtual-core builds a RegExp and a SamplePhraseTest (cleaning the phrase again) for every
 *                         sample on every phrase; this compiles each sample's RegExp once, and skips a sample whose
 *                         longest run of words is not in the phrase or whose RegExp does not match it, which is
 *                         what the test would conclude. Results are the same, several times faster.
 */
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { NumberSlotType } = require('virtual-alexa/lib/src/model/BuiltinSlotTypes');
const { SamplePhrase } = require('virtual-core/lib/src/SampleUtterances');
const { SkillRequest } = require('virtual-alexa/lib/src/core/SkillRequest');

const LOCALE_DIR = path.join(__dirname, '..', '..', 'lambda', 'runner_strength', 'speech', 'locale');
// The characters virtual-core's SamplePhraseTest removes from a phrase before matching it.
const CLEANED = /[!"¿?|#$%/()=+\-_<>*{}·¡[\].,;:]/g;
const NO_MATCH = Object.freeze({ matches: () => false });

const numbersByLocale = new Map();

/** The locale's number words: units (0 to 19), tens (20 to 90), hundred, thousand, and, a_hundred. */
function loadNumbers(locale = 'en-US') {
  if (!numbersByLocale.has(locale)) {
    numbersByLocale.set(locale, JSON.parse(fs.readFileSync(path.join(LOCALE_DIR, locale, 'numbers.json'), 'utf8')));
  }
  return numbersByLocale.get(locale);
}

/** Ways to say `n` (0 to 999) in words. */
function numberWords(n, locale = 'en-US') {
  const { units, tens, hundred, and, a_hundred: aHundred } = loadNumbers(locale);
  if (n < 20) {
    return [units[n]];
  }
  if (n < 100) {
    const ten = tens[Math.floor(n / 10) - 2];
    return [n % 10 ? `${ten} ${units[n % 10]}` : ten];
  }
  const hundreds = Math.floor(n / 100);
  const heads = hundreds === 1 ? [`${units[1]} ${hundred}`, aHundred] : [`${units[hundreds]} ${hundred}`];
  if (n % 100 === 0) {
    return heads;
  }
  const [rest] = numberWords(n % 100, locale);
  return heads.flatMap((head) => [`${head} ${rest}`, `${head} ${and} ${rest}`]);
}

function teachNumberWords(locale = 'en-US') {
  const digitsOf = new Map();
  for (let n = 0; n < 1000; n += 1) {
    const known = NumberSlotType.LONG_FORM_VALUES[n] || [];
    NumberSlotType.LONG_FORM_VALUES[n] = [...new Set([...known, ...numberWords(n, locale)])];
    NumberSlotType.LONG_FORM_VALUES[n].forEach((words) => digitsOf.set(words, String(n)));
  }
  if (SkillRequest.prototype.numbersAsDigits) {
    return;
  }
  // Alexa resolves AMAZON.NUMBER and sends digits ("forty five" arrives as "45"); virtual-alexa sends the words heard.
  const addSlot = SkillRequest.prototype.slot;
  SkillRequest.prototype.numbersAsDigits = true;
  SkillRequest.prototype.slot = function slot(slotName, slotValue, confirmationStatus) {
    const intent = this.context.interactionModel().intentSchema.intent(this.json().request.intent.name);
    const declared = intent && intent.slots ? intent.slotForName(slotName) : undefined;
    let value = slotValue;
    if (declared && declared.type === 'AMAZON.NUMBER' && typeof value === 'string') {
      value = digitsOf.get(value.trim().toLowerCase().replace(/-/g, ' ').replace(/\s+/g, ' ')) || value;
    }
    return addSlot.call(this, slotName, value, confirmationStatus);
  };
}

/** The longest run of plain words in a sample ("a {minutes} minute circuit" → "minute circuit"), which any phrase
 * it matches contains; '' (no hint) when the sample has other characters, which its RegExp would read as patterns. */
function wordsHint(sample) {
  const runs = sample.toLowerCase().split(/\{[^}]*\}/).map((run) => run.trim());
  if (runs.some((run) => /[^a-z' ]/.test(run))) {
    return '';
  }
  return runs.reduce((longest, run) => (run.length > longest.length ? run : longest), '');
}

function compileSamplesOnce() {
  if (SamplePhrase.prototype.compiledOnce) {
    return;
  }
  const buildRegex = SamplePhrase.prototype.regex;
  const testSample = SamplePhrase.prototype.matchesUtterance;
  let lastPhrase = null;
  let lastCleaned = null;
  let lastLower = null;
  SamplePhrase.prototype.compiledOnce = true;
  SamplePhrase.prototype.regex = function regex() {
    if (!this.compiledRegex) {
      this.compiledRegex = buildRegex.call(this);
    }
    return this.compiledRegex;
  };
  SamplePhrase.prototype.matchesUtterance = function matchesUtterance(phrase) {
    if (phrase !== lastPhrase) {
      lastPhrase = phrase;
      lastCleaned = phrase.replace(CLEANED, '');
      lastLower = lastCleaned.toLowerCase();
    }
    if (this.wordsHint === undefined) {
      this.wordsHint = wordsHint(this.phrase);
    }
    if (!lastLower.includes(this.wordsHint) || !this.regex().test(lastCleaned)) {
      return NO_MATCH;
    }
    return testSample.call(this, phrase);
  };
}

module.exports = { compileSamplesOnce, numberWords, teachNumberWords };
