from gallery_upload.cli import main

main()
