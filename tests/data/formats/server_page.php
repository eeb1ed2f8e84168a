<?php
    include("classes/header.php");
    $page_title = "News";
?>
    <!-- ##### Blog Area Start ##### -->
    <div class="hero-area section-padding-0-80">
        <div class="container">
            <div class="blog-posts-area">
                <div class="single-blog-post featured-post">
                    <div class="post-data">
                        <a href="#" class="post-title">
                            <h6>Border Trade Resumes After Three-Year Pause</h6>
                        </a>
                        <div class="post-meta">
                            <p class="post-author">By <a href="#">Staff Writer</a></p>
                        </div>
                        <p>DANDONG, China, Aug. 22, 2023 (AP) &mdash; Trucks crossed the Friendship Bridge on Tuesday for the first time in three years, customs officials said.</p>
                        <p>The crossing carries most of the trade between the two countries.</p>
                    </div>
                </div>
            </div>
        </div>
    </div>
<?php include("classes/footer.php"); ?>
