// Run by the build after compiling: writes the compiled o200k vocabulary (o200k-vocabulary.ts).
import { COMPILED_VOCABULARY_FILE, writeCompiledVocabulary } from './o200k-vocabulary.js';

writeCompiledVocabulary(COMPILED_VOCABULARY_FILE);
