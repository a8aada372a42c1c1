/**
 * What the offline generator can build: data apps, records with fields. This tells the other
 * requests apart (a game, a chess board, a drawing tool…), so the person hears so on the plan card
 * instead of getting a "Chess Board Tracker" nobody asked for.
 */

/** Kinds of app that are not records with fields, matched on whole words of the prompt's subject. */
const outOfScope: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /\bchess\b/, what: 'a chess game' },
  {
    pattern:
      /\b(?:tic[\s-]?tac[\s-]?toe|checkers|draughts|sudoku|tetris|snake|pong|minesweeper|solitaire|poker|blackjack|wordle|crossword|platformer|arcade|pac-?man|breakout|connect four|battleship|backgammon|mahjong|go board)\b/,
    what: 'a game',
  },
  { pattern: /\b(?:game|games|gaming|puzzle|puzzles|playable|multiplayer)\b/, what: 'a game' },
  { pattern: /\b(?:drawing|paint|painting|sketch|sketching|whiteboard|pixel art|canvas)\b/, what: 'a drawing tool' },
  {
    pattern: /\b(?:animation|animated|3d|three\.?js|physics|simulation|simulator|visuali[sz]ation|fractal)\b/,
    what: 'an animation or simulation',
  },
  {
    pattern: /\b(?:calculator|stopwatch|countdown|pomodoro|metronome|clock|timer|unit converter|currency converter)\b/,
    what: 'a calculator or timer',
  },
  {
    pattern: /\b(?:music player|synth|synthesi[sz]er|piano|drum machine|video player|video editor|photo editor|image editor)\b/,
    what: 'a media tool',
  },
  {
    pattern: /\b(?:chat ?bot|chat app|messenger|weather|maps?|navigation|landing page|portfolio site|blog|web ?site|homepage)\b/,
    what: 'that kind of app',
  },
];

/** Words that make it a data app whatever the records are about: "a tracker for board games". */
const dataAppWords =
  /\b(?:tracker|tracking|track|list|log|inventory|directory|catalog|catalogue|database|crm|register|registry|records?|manage|managing|organi[sz]e|collection of|keep track)\b/;

/** Where the subject of a prompt ends and its field list starts. */
const fieldListStart = /:|\b(?:with|having|including|containing|that has|that have|fields?|columns?)\b/;

/**
 * Why the offline generator cannot build this prompt well (`'a chess game'`, `'a game'`…), or
 * null when it is a data app it can build.
 */
export function outOfScopeRequest(prompt: string): string | null {
  const text = prompt.toLowerCase().replace(/\s+/g, ' ');
  const end = fieldListStart.exec(text);
  const subject = end ? text.slice(0, end.index) : text;
  if (dataAppWords.test(subject)) return null;
  return outOfScope.find(({ pattern }) => pattern.test(subject))?.what ?? null;
}
