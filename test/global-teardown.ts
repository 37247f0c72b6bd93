import { removeImagesFolder } from './images-folder';

export default removeImagesFolder;
