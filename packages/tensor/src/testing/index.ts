export { gradcheck, runOn, type CheckInput, type GradcheckResult } from './gradcheck.js';
